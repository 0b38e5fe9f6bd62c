// A node:test reporter for scripts/test.ts: how long each test file took, slowest first, so that the files
// that make the suite slow (or that a time limit stopped) are named at the end of the run. Plain JavaScript:
// node loads reporters before any --import hook could compile TypeScript.

import { relative } from 'node:path';

/**
 * One line per test file, slowest first, with its outcome; then the count and the sum.
 * @param {readonly { file: string; ms: number; outcome: string }[]} times
 */
export function durationTable(times) {
  const sorted = [...times].sort((a, b) => b.ms - a.ms);
  const total = sorted.reduce((sum, time) => sum + time.ms, 0);
  const lines = sorted.map((time) => `${(time.ms / 1000).toFixed(1).padStart(7)} s  ${time.outcome.padEnd(6)}  ${time.file}`);
  return `# test files by duration, slowest first:\n${lines.join('\n')}\n# ${sorted.length} files, ${(total / 1000).toFixed(1)} s in all (two at a time)\n`;
}

/** @param {AsyncIterable<import('node:test/reporters').TestEvent>} source */
export default async function* durations(source) {
  /** @type {Map<string, { file: string; ms: number; outcome: string }>} */
  const files = new Map();
  for await (const event of source) {
    // Each file runs in its own process, which the runner reports as a test named by the file's path. (Its
    // suites are reported at the same nesting, but named for themselves, and located where they were declared,
    // which may be a helper.)
    if (event.type === 'test:complete' && event.data.nesting === 0 && event.data.file !== undefined && event.data.name === event.data.file) {
      const { details } = event.data;
      const error = String(details.error?.cause ?? details.error ?? '');
      const outcome = details.passed ? 'ok' : /timed out/.test(error) ? 'HUNG' : 'failed';
      files.set(event.data.file, { file: relative(process.cwd(), event.data.file), ms: details.duration_ms, outcome });
    }
  }
  yield durationTable([...files.values()]);
}
