import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('scripts/test.ts, the runner of npm test', () => {
  it('fails a file that hangs after TEST_FILE_TIMEOUT_MS, naming it, and lists every file\'s duration, slowest first', async () => {
    // Without node:test's marker of a file's own process, which would make the inner run report to this one.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', 'test/fixtures/runner/passes.ts', 'test/fixtures/runner/hangs.ts'], {
      cwd: ROOT,
      env: { ...env, TEST_FILE_TIMEOUT_MS: '10000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.notEqual(code, 0, output);
    assert.ok(performance.now() - started < 60_000, 'the hang was stopped');
    const table = output.slice(output.indexOf('# test files by duration, slowest first:'));
    assert.match(table, /^# test files by duration, slowest first:\n +1\d\.\d s {2}HUNG {4}test\/fixtures\/runner\/hangs\.ts\n +\d\.\d s {2}ok {6}test\/fixtures\/runner\/passes\.ts\n# 2 files, /);
    assert.match(output, /failing tests:[\s\S]*hangs\.ts[\s\S]*timed out after 10000ms/);
  });
});
