// `npm run bench`: the service's production build against a real PostgreSQL holding Django's tables, next
// to the floor and Django's own page, alternating in rounds on loopback. See docs/performance.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/dev/embedded-postgres.ts';
import { CASES, createBenchDatabase, type BenchDatabase, type CaseName } from './database.ts';
import { createBenchSqlite, mariadbMissing, startBenchMariaDb, type BenchCopy } from './copies.ts';
import { startBenchRedis } from './redis.ts';
import type { CacheServer } from '../test/helpers/cache-server.ts';
import { checkAnswer, type Answer } from './answers.ts';
import { applyLoad } from './load.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { firstOk, freePort, sampleRss, spawnServer, treeCpuMs, type Spawned } from './processes.ts';
import { startLogicalReplica, type BenchReplica } from './replica.ts';
import { resultsTable, targetsTable } from './report.ts';
import { checkTargets, median, summarize, type Sample } from './stats.ts';
import { findProgram } from '../test/helpers/packaged-suite.ts';
import { startPgBouncer, type PgBouncer } from '../test/helpers/pgbouncer.ts';
import {
  defaultDjangoWorkers, describeDjango, DJANGO, findDjango, floorOf, MARIADB, MARIADB_FLOOR, PGBOUNCER, REPLICA, SQLITE, SQLITE_FLOOR, variants, wanted,
  type DjangoInstall, type DjangoServing, type Variant,
} from './variants.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET_KEY = 'bench-secret-key-not-for-production-0123456789abcdefghij';
const PAGE = '/elixir/';

interface Server {
  variant: Variant;
  url: string;
  process: Spawned;
}

async function startServer(variant: Variant): Promise<Server> {
  const port = await freePort();
  const process = spawnServer(variant.command, variant.args(port), variant.env(port), ROOT);
  const url = `http://127.0.0.1:${port}${PAGE}`;
  try {
    await firstOk(url, process, performance.now());
  } catch (error) {
    await process.stop();
    throw new Error(`${variant.name} did not start: ${(error as Error).message}`);
  }
  return { variant, url, process };
}

/**
 * Starts the servers `concurrency` at a time: two dozen processes compiling and connecting at once on a small
 * machine can keep one from answering within firstOk's limit, which says nothing about that server.
 */
async function startAll(variants: Variant[], concurrency: number): Promise<PromiseSettledResult<Server>[]> {
  const results: PromiseSettledResult<Server>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < variants.length) {
      const index = next;
      next += 1;
      results[index] = await startServer(variants[index] as Variant).then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}

/** How long a bare `node -e 0` takes to start and exit right now: the yardstick for a busy machine. */
async function bareNodeMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return performance.now() - started;
}

/** Spawn to first 200 of the page, for the production service (sql store), each next to a bare Node start. */
async function measureStartups(variant: Variant, times: number): Promise<{ service: number[]; bareNode: number[] }> {
  const results = { service: [] as number[], bareNode: [] as number[] };
  for (let i = 0; i < times; i += 1) {
    const port = await freePort();
    const started = performance.now();
    const server = spawnServer(variant.command, variant.args(port), variant.env(port), ROOT);
    try {
      results.service.push(await firstOk(`http://127.0.0.1:${port}${PAGE}`, server, started, 30_000, 2));
    } finally {
      await server.stop();
    }
    results.bareNode.push(await bareNodeMs());
  }
  return results;
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  } finally {
    await client.end();
  }
}

/** The commit measured, so a committed result says which code it describes. */
function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine(django: (DjangoInstall & DjangoServing) | undefined, postgres: string, embedded: boolean, mariadb: BenchCopy | undefined, sqlite: BenchCopy | undefined) {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? '?',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres: `${postgres}${embedded ? ' (embedded-postgres)' : ''}`,
    django: django ? describeDjango(django) : 'not installed',
    mariadb: mariadb?.version ?? 'not measured',
    sqlite: sqlite?.version ?? 'not measured',
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

async function measureRounds(options: BenchOptions, servers: Server[], database: BenchDatabase, stopped: () => boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total && !stopped(); round += 1) {
    const warmup = round < options.warmupRounds;
    for (const benchCase of CASES) {
      // Rotate who goes first, so no variant always follows the same neighbour.
      const order = servers.map((_, i) => servers[(i + round) % servers.length] as Server);
      for (const server of order) {
        if (stopped()) break;
        const rss = sampleRss(server.process.pid);
        const cpuBefore = treeCpuMs(server.process.pid);
        const result = await applyLoad(options.load, { url: server.url, connections: options.connections, durationS: options.durationS, cookies: database.cookies[benchCase] });
        const cpuUsPerRequest = ((treeCpuMs(server.process.pid) - cpuBefore) * 1000) / result.requests;
        const rssBytes = rss.stop();
        if (result.failures > 0 || result.requests === 0) {
          throw new Error(`${server.variant.name}, ${benchCase}: ${result.failures} failed requests of ${result.requests}. ${server.process.stderr().trim()}`);
        }
        const label = warmup ? `warm-up ${round + 1}/${options.warmupRounds}` : `round ${round - options.warmupRounds + 1}/${options.rounds}`;
        console.log(
          `${label}  ${benchCase.padEnd(9)}  ${server.variant.name.padEnd(13)}  ${Math.round(result.rps).toString().padStart(6)} req/s  ` +
            `p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  RSS ${Math.round(rssBytes / 2 ** 20)} MB  CPU ${Math.round(cpuUsPerRequest)} µs/req`,
        );
        if (!warmup) samples.push({ round, case: benchCase, variant: server.variant.name, rps: result.rps, p50: result.p50, p99: result.p99, rssBytes, cpuUsPerRequest });
      }
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options.source && !existsSync(join(ROOT, 'dist', 'server.js'))) {
    throw new Error('dist/server.js is missing: `npm run bench` builds it; or pass --source to run from src/');
  }
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  process.once('SIGTERM', () => (interrupted = true));

  let embedded: EmbeddedServer | undefined;
  let database: BenchDatabase | undefined;
  let bouncer: PgBouncer | undefined;
  let redis: CacheServer | undefined;
  let replica: BenchReplica | undefined;
  let mariadb: BenchCopy | undefined;
  let sqlite: BenchCopy | undefined;
  const servers: Server[] = [];
  try {
    let adminUrl = options.adminUrl;
    if (adminUrl === undefined) {
      embedded = await startEmbeddedPostgres();
      adminUrl = embedded.adminUrl;
    }
    database = await createBenchDatabase(adminUrl, SECRET_KEY, options.sessions);
    const installed = findDjango();
    const django = installed && { ...installed, workers: options.djangoWorkers ?? defaultDjangoWorkers(), threads: options.djangoThreads };
    if (!django) console.log('# Django variant left out: gunicorn with python3-django and python3-psycopg2 is not installed');
    const wantsBouncer = wanted(options.variants, PGBOUNCER);
    if (wantsBouncer && findProgram('pgbouncer') === undefined) console.log('# pgbouncer variant left out: Debian\'s pgbouncer is not installed');
    else if (wantsBouncer) bouncer = await startPgBouncer(adminUrl, 'transaction');
    const wantsReplica = wanted(options.variants, REPLICA);
    if (wantsReplica && embedded === undefined) console.log('# replica variant left out: it replicates from the embedded PostgreSQL (no --admin-url)');
    if (wantsReplica && embedded !== undefined) replica = await startLogicalReplica(embedded, database.url);
    redis = await startBenchRedis(database);
    if (!redis) console.log('# redis variant left out: redis-server is not installed');
    const wantsMariaDb = wanted(options.variants, MARIADB) || wanted(options.variants, MARIADB_FLOOR);
    const noMariaDb = mariadbMissing();
    if (wantsMariaDb && noMariaDb !== undefined) console.log(`# mariadb and mariadb-floor variants left out: ${noMariaDb}`);
    else if (wantsMariaDb) mariadb = await startBenchMariaDb(database.url);
    if (wanted(options.variants, SQLITE) || wanted(options.variants, SQLITE_FLOOR)) sqlite = await createBenchSqlite(database.url);
    const all = variants({
      source: options.source,
      databaseUrl: database.url,
      replicaUrl: replica?.url,
      pgbouncerUrl: bouncer?.via(database.url),
      redisUrl: redis?.url,
      mariadbUrl: mariadb?.url,
      sqliteUrl: sqlite?.url,
      secretKey: SECRET_KEY,
      cacheTtlMs: options.cacheTtlMs,
      django,
    });
    const chosen = options.variants.length === 0 ? all : all.filter((v) => options.variants.includes(v.name));
    const host = machine(django, await postgresVersion(database.url), embedded !== undefined, mariadb, sqlite);
    console.log(`# ${host.cores} × ${host.cpu}, Node ${host.node}, PostgreSQL ${host.postgres}, MariaDB ${host.mariadb}, SQLite ${host.sqlite}, ${host.django}`);
    console.log(`# ${options.load}, ${options.connections} connections, ${options.warmupRounds} warm-up + ${options.rounds} rounds of ${options.durationS} s per variant and case`);

    const sql = all.find((v) => v.name === 'sql') as Variant;
    const startups = await measureStartups(sql, options.startups);
    const startupMs = startups.service.length > 0 ? median(startups.service) : undefined;
    if (startupMs !== undefined) {
      console.log(
        `# start-up to first served request: median ${Math.round(startupMs)} ms of ${startups.service.length} ` +
          `(max ${Math.round(Math.max(...startups.service))} ms; a bare \`node -e 0\` took ${Math.round(median(startups.bareNode))} ms meanwhile)`,
      );
    }

    const starting = await startAll(chosen, cpus().length);
    for (const result of starting) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = starting.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const answers: Answer[] = [];
    for (const server of servers) {
      for (const benchCase of CASES) answers.push(await checkAnswer(server.variant.name, server.url, benchCase, database.cookies[benchCase]));
    }

    const samples = await measureRounds(options, servers, database, () => interrupted);
    const rank = (s: { case: CaseName; variant: string }) => CASES.indexOf(s.case) * chosen.length + chosen.findIndex((v) => v.name === s.variant);
    const summary = summarize(samples, floorOf, DJANGO).sort((a, b) => rank(a) - rank(b));
    const targets = checkTargets(summary, startupMs);
    console.log(`\n${resultsTable(summary)}\n\n${targetsTable(targets)}`);

    const out = options.out ?? join(ROOT, 'bench', 'results', 'tmp', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(out), { recursive: true });
    // The admin URL carries a password: only whether one was given is recorded.
    const recorded = { ...options, adminUrl: options.adminUrl === undefined ? undefined : 'given' };
    const result = {
      finishedAt: new Date().toISOString(),
      commit: gitCommit(),
      machine: { ...host, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
      options: recorded,
      variants: chosen.map((v) => ({ name: v.name, description: v.description })),
      answers,
      startupMs: startups.service,
      bareNodeStartMs: startups.bareNode,
      summary,
      targets,
      samples,
    };
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n# written to ${out}`);
  } finally {
    await Promise.all(servers.map((server) => server.process.stop()));
    await bouncer?.stop();
    await redis?.stop();
    await replica?.destroy();
    await mariadb?.destroy();
    await sqlite?.destroy();
    await database?.drop();
    await embedded?.destroy();
  }
}

await main();
