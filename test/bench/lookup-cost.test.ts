import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run bench:lookup-cost, end to end', () => {
  it('runs the floor, the busy floor and the service, and splits their CPU per page', async () => {
    // From src/ and briefly: this proves the pieces run, it measures nothing worth quoting.
    const args = ['--source', '--rounds', '1', '--duration', '0.5', '--busy-us', '20'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lookup-cost.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, output);
    const runs = ['floor', 'floor + 60 µs of JavaScript per page', 'service (sql store)'];
    for (const run of runs) assert.ok(output.includes(`# ${run}: answered the logged-in page correctly\n`), `${run} answered correctly`);
    const rows = output.split('\n').filter((line) => /^\| (floor|service)/.test(line));
    assert.deepEqual(rows.map((row) => row.split(' | ')[0]), runs.map((run) => `| ${run}`));
    // Half a second holds too few of /proc's 10 ms ticks for any CPU figure to be more than ≥ 0.
    for (const row of rows) {
      const figures = row.split('|').slice(2, 6).map((cell) => cell.trim());
      assert.ok(figures.length === 4 && figures.every((cell) => /^\d+$/.test(cell)), `four whole numbers: ${row}`);
      const [rps, ...cpu] = figures.map(Number);
      assert.ok(rps! > 0, row);
      assert.ok(cpu.every((value) => Number.isFinite(value) && value >= 0), row);
    }
  });
});
