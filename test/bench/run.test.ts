import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES } from '../../bench/database.ts';
import type { Summary, Target } from '../../bench/stats.ts';
import { findDjango } from '../../bench/variants.ts';
import { missingMariaDb } from '../helpers/mariadb-server.ts';
import { findProgram } from '../helpers/packaged-suite.ts';
import { REDIS_MISSING } from '../helpers/redis-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run bench --quick, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-bench-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts every variant, checks its answers, loads it and writes the result file', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    assert.ok(adminUrl, 'run with `npm test`');
    const out = join(dir, 'result.json');
    // From src/ (no build needed in the test suite), on the test run's PostgreSQL.
    // Small Django and session counts keep the connections it opens well under PostgreSQL's 100, next to other test files.
    const args = ['--quick', '--source', '--admin-url', adminUrl, '--out', out, '--sessions', '8', '--django-workers', '2', '--django-threads', '2'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, output);

    const result = JSON.parse(readFileSync(out, 'utf8')) as { summary: Summary[]; targets: Target[]; startupMs: number[]; machine: { cores: number }; commit: string };
    const expected = ['floor', 'sql', 'prisma', 'sql+cache', 'sql×2', 'no-db', ...(findProgram('pgbouncer') ? ['pgbouncer'] : []), ...(findDjango() ? ['django'] : []), ...(REDIS_MISSING.length === 0 ? ['redis'] : []), ...(missingMariaDb().length === 0 ? ['mariadb-floor', 'mariadb'] : []), 'sqlite-floor', 'sqlite'];
    for (const benchCase of CASES) {
      for (const variant of expected) {
        const row = result.summary.find((s) => s.case === benchCase && s.variant === variant);
        assert.ok(row, `${variant} under "${benchCase}" was measured`);
        assert.ok(row.rps > 0 && row.rssMb > 0, `${variant} under "${benchCase}" has numbers`);
        assert.ok(row.vsFloor !== undefined && row.vsFloor > 0);
      }
    }
    assert.equal(result.startupMs.length, 1);
    assert.match(result.commit, /^[0-9a-f]{40}$/, 'the commit measured is recorded');
    assert.equal(result.targets.length, 8);
    assert.match(output, /vs floor/);
  });
});
