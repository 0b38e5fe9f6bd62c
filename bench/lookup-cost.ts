// `npm run bench:lookup-cost`: where the lookups' extra cost inside the service goes. The same two lookups
// cost more CPU per page in the service than in the floor, although their statements and syscalls are the
// same. This runs the floor as it is, the floor with FLOOR_BUSY_US of plain JavaScript before each lookup and
// before the page (no I/O: only more work between the lookups, as the service's stack does), and the service,
// all on one bench database, alternating, and splits each one's CPU per logged-in page into its own user and
// kernel time and the PostgreSQL server's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/dev/embedded-postgres.ts';
import { createBenchDatabase } from './database.ts';
import { checkAnswer } from './answers.ts';
import { applyLoad } from './load.ts';
import { firstOk, freePort, ownCpuMs, spawnServer, treeCpuMs } from './processes.ts';
import { median } from './stats.ts';
import { FLOOR, variants, type Variant } from './variants.ts';

const SECRET_KEY = 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '3' }, 'busy-us': { type: 'string', default: '150' }, source: { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds);
const durationS = Number(values.duration);
const busyUs = Number(values['busy-us']);

const embedded = await startEmbeddedPostgres();
const database = await createBenchDatabase(embedded.adminUrl, SECRET_KEY, 32);
const postmaster = Number(readFileSync(join(embedded.dataDir, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
try {
  const all = variants({ source: values.source ?? false, databaseUrl: database.url, replicaUrl: undefined, secretKey: SECRET_KEY, cacheTtlMs: 0, django: undefined, redisUrl: undefined });
  const floor = all.find((v) => v.name === FLOOR)!;
  const sql = all.find((v) => v.name === 'sql')!;
  // The service without its request log: one write per page more would blur the kernel column.
  const runs: { name: string; variant: Variant; extra: Record<string, string> }[] = [
    { name: 'floor', variant: floor, extra: {} },
    { name: `floor + ${3 * busyUs} µs of JavaScript per page`, variant: floor, extra: { FLOOR_BUSY_US: String(busyUs) } },
    { name: 'service (sql store)', variant: sql, extra: { LOG_LEVEL: 'warn' } },
  ];
  const samples = new Map(runs.map((run) => [run.name, [] as { rps: number; user: number; kernel: number; postgres: number }[]]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const run of runs) {
      const port = await freePort();
      const server = spawnServer(run.variant.command, run.variant.args(port), { ...run.variant.env(port), ...run.extra }, process.cwd());
      try {
        const url = `http://127.0.0.1:${port}/elixir/`;
        await firstOk(url, server, performance.now());
        if (round === 0) {
          await checkAnswer(run.name, url, 'logged in', database.cookies['logged in']);
          console.log(`# ${run.name}: answered the logged-in page correctly`);
        }
        await applyLoad('autocannon', { url, connections: 32, durationS: Math.min(1, durationS), cookies: database.cookies['logged in'] });
        const [before, pgBefore] = [ownCpuMs(server.pid), treeCpuMs(postmaster)];
        const load = await applyLoad('autocannon', { url, connections: 32, durationS, cookies: database.cookies['logged in'] });
        const [after, pgAfter] = [ownCpuMs(server.pid), treeCpuMs(postmaster)];
        if (load.failures > 0) throw new Error(`${run.name}: ${load.failures} failed requests`);
        // Round 0 warms PostgreSQL and the page cache up; it is not kept.
        if (round > 0) {
          samples.get(run.name)!.push({
            rps: load.rps,
            user: ((after.user - before.user) * 1000) / load.requests,
            kernel: ((after.kernel - before.kernel) * 1000) / load.requests,
            postgres: ((pgAfter - pgBefore) * 1000) / load.requests,
          });
        }
      } finally {
        await server.stop();
      }
    }
  }
  console.log(`# logged-in page, autocannon 32 connections, medians of ${rounds} rounds of ${durationS} s; CPU per page in µs`);
  console.log('| run | req/s | own user | own kernel | PostgreSQL |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, list] of samples) {
    const m = (pick: (s: (typeof list)[number]) => number) => Math.round(median(list.map(pick)));
    console.log(`| ${name} | ${m((s) => s.rps)} | ${m((s) => s.user)} | ${m((s) => s.kernel)} | ${m((s) => s.postgres)} |`);
  }
} finally {
  await database.drop();
  await embedded.destroy();
}
