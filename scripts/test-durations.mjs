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
    // Top-level tests, summed per file: on Node 20 they are a file's suites (a file that never reported, as
    // when its time limit stopped it, is one itself, named by its path); from Node 22 each file is one.
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const file = relative(process.cwd(), event.data.file ?? event.data.name);
      const time = files.get(file) ?? { file, ms: 0, outcome: 'ok' };
      time.ms += event.data.details.duration_ms;
      if (event.type === 'test:fail') {
        const error = String(event.data.details.error?.cause ?? event.data.details.error);
        time.outcome = /timed out/.test(error) ? 'HUNG' : 'failed';
      }
      files.set(file, time);
    }
  }
  yield durationTable([...files.values()]);
}
