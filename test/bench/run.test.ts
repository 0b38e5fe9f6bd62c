import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES } from '../../bench/database.ts';
import type { Answer } from '../../bench/answers.ts';
import type { Summary, Target } from '../../bench/stats.ts';
import { findDjango, LIBRARY_VARIANTS } from '../../bench/variants.ts';
import { missingMariaDb } from '../helpers/mariadb-server.ts';
import { findProgram } from '../helpers/packaged-suite.ts';
import { REDIS_MISSING } from '../helpers/redis-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Under PACKAGES_REQUIRED (CI, after installing them) every variant must run; elsewhere those whose Debian
// packages are missing are left out of the bench, and so of what is expected here.
const REQUIRED = process.env.PACKAGES_REQUIRED === '1';
const OPTIONAL: [string[], boolean][] = [
  [['pgbouncer'], findProgram('pgbouncer') !== undefined],
  [['django'], findDjango() !== undefined],
  [['redis'], REDIS_MISSING.length === 0],
  [['mariadb-floor', 'mariadb'], missingMariaDb().length === 0],
];
const library = LIBRARY_VARIANTS.flatMap((framework) => [framework, `${framework}+cache`]);
const expected = ['floor', 'sql', 'prisma', 'sql+cache', 'sql×2', 'no-db', ...library, ...OPTIONAL.flatMap(([names, present]) => (present || REQUIRED ? names : [])), 'sqlite-floor', 'sqlite'];

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

    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: Summary[]; targets: Target[]; startupMs: number[]; machine: { cores: number }; variants: { name: string }[]; answers: Answer[]; commit: string;
    };
    assert.deepEqual(result.variants.map((v) => v.name).sort(), [...expected].sort(), 'every variant ran');
    const finite = (value: number | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
    for (const benchCase of CASES) {
      for (const variant of expected) {
        const where = `${variant} under "${benchCase}"`;
        const answer = result.answers.find((a) => a.case === benchCase && a.variant === variant);
        assert.deepEqual(answer, { variant, case: benchCase, status: 200, correct: true }, `${where} answered correctly`);
        const row = result.summary.find((s) => s.case === benchCase && s.variant === variant);
        assert.ok(row, `${where} was measured`);
        assert.ok([row.rps, row.p50, row.p99, row.rssMb, row.cpuUs, row.vsFloor].every(finite), `${where}: every figure is a finite number: ${JSON.stringify(row)}`);
        assert.ok(row.rps > 0 && row.rssMb > 0 && row.p50 >= 0 && row.p99 >= row.p50 && row.cpuUs >= 0 && (row.vsFloor as number) > 0, `${where}: ${JSON.stringify(row)}`);
        if (expected.includes('django')) assert.ok(finite(row.vsDjango) && row.vsDjango > 0, `${where} compared with Django's page`);
      }
    }
    assert.equal(result.startupMs.length, 1);
    assert.match(result.commit, /^[0-9a-f]{40}$/, 'the commit measured is recorded');
    assert.equal(result.targets.length, 8);
    assert.match(output, /vs floor/);
  });
});
