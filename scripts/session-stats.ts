// npm run session:stats: what every unexpired session in django_session would get from the service, and
// which sessions a key rotation would log out. Reads in batches; memory does not grow with the table.
import { parseArgs } from 'node:util';
import { batchStore } from '../src/diagnostics/batch-store.ts';
import { formatStats } from '../src/diagnostics/format.ts';
import { openReadOnlyDatabase } from '../src/diagnostics/read-only-database.ts';
import { firstInstantAtWallTime } from 'django-session-bridge/django';
import { naiveZone } from 'django-session-bridge';
import { countExpiredSessions, unexpiredSessions, usersById } from '../src/diagnostics/session-scan.ts';
import { SessionStats } from '../src/diagnostics/session-stats.ts';
import { isUsageError, loadToolConfig, ToolError, type ToolOutput } from '../src/diagnostics/tool-config.ts';
import { loadDotEnv } from '../src/config.ts';
import { cachedSessions } from '../src/diagnostics/cache-scan.ts';
import { sessionCacheKeyPrefix } from 'django-session-bridge/django';
import { openSessionCache } from '../src/sessions/from-config.ts';

const USAGE = `usage: npm run session:stats -- [--batch-size N] [--json] [--report-memory]

Decides every unexpired session in django_session as the service would and counts the verdicts: logged in,
anonymous, undecodable, by reason. With DJANGO_SESSION_ENGINE=cache on Redis it SCANs the session keys
instead (never KEYS); memcached cannot list its keys. Key rotation: for each DJANGO_SECRET_KEY_FALLBACKS key, how many
logged-in sessions removing it would log out; for each DJANGO_OLD_SECRET_KEYS key (keys already removed),
how many sessions adding it back would log in again.
  --batch-size N     rows per query (default 1000); users are fetched in one query per batch
  --json             machine-readable output
  --report-memory    also print this process's peak resident memory
Exit status: 0 done, 2 could not count (usage, configuration, database).
`;

const DEFAULT_BATCH = 1000;
const MAX_BATCH = 100_000;

function batchSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_BATCH;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_BATCH) throw new ToolError(`--batch-size must be a whole number from 1 to ${MAX_BATCH}`);
  return value;
}

export async function main(argv: string[], env: Record<string, string | undefined>, out: ToolOutput): Promise<number> {
  let options;
  let toolConfig;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'batch-size': { type: 'string' },
        json: { type: 'boolean', default: false },
        'report-memory': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      out.stdout.write(USAGE);
      return 0;
    }
    options = { batchSize: batchSize(values['batch-size']), json: values.json, reportMemory: values['report-memory'] };
    toolConfig = loadToolConfig(env);
    if (toolConfig.config.sessionEngine === 'signed_cookies') {
      throw new ToolError('DJANGO_SESSION_ENGINE is signed_cookies: sessions live in the visitors\' cookies, there is no table to count');
    }
    if (toolConfig.config.sessionEngine === 'cache' && toolConfig.config.cache?.kind === 'memcached') {
      throw new ToolError('memcached cannot list its keys, so sessions kept only in memcached (the cache engine) cannot be counted; inspect one with session:inspect');
    }
  } catch (error) {
    if (!isUsageError(error)) throw error;
    out.stderr.write(`session:stats: ${error.message}\n\n${USAGE}`);
    return 2;
  }

  const { config, databaseUrl, oldKeys } = toolConfig;
  const db = await openReadOnlyDatabase(databaseUrl, config.dbTimeoutMs);
  // The cache engine's sessions are in Redis; cached_db's are all in django_session (written through).
  const cache = config.sessionEngine === 'cache' ? await openSessionCache(config) : undefined;
  try {
    const now = new Date();
    const stats = new SessionStats({ settings: config.django, oldKeys, now });
    const findUsers = usersById(db.prisma);
    const scan = { batchSize: options.batchSize, batches: 0, largestBatch: 0, userQueries: 0, largestUserQuery: 0 };
    const zone = naiveZone(config);
    const expiry = db.naiveDatetimes ? (stored: Date) => firstInstantAtWallTime(stored, zone) : undefined;
    const sessions = cache && config.cache
      ? cachedSessions(cache, sessionCacheKeyPrefix('cache', config.cache), options.batchSize)
      : unexpiredSessions(db.prisma, { now, batchSize: options.batchSize, expiry });
    for await (const rows of sessions) {
      const store = batchStore(rows, findUsers);
      await stats.add(rows, store);
      const users = store.userQueries();
      scan.batches += 1;
      scan.largestBatch = Math.max(scan.largestBatch, rows.length);
      scan.userQueries += users.count;
      scan.largestUserQuery = Math.max(scan.largestUserQuery, users.largest);
    }
    const expired = cache ? null : await countExpiredSessions(db.prisma, now, expiry);
    const report = stats.report();
    // resourceUsage().maxRSS is in kilobytes.
    const memory = options.reportMemory ? { maxRssBytes: process.resourceUsage().maxRSS * 1024 } : undefined;
    if (options.json) {
      out.stdout.write(`${JSON.stringify({ ...report, expired, scan, memory }, null, 2)}\n`);
    } else {
      out.stdout.write(formatStats(report, expired, { size: scan.batchSize, count: scan.batches }));
      if (memory) out.stdout.write(`Peak resident memory: ${(memory.maxRssBytes / 2 ** 20).toFixed(1)} MiB\n`);
    }
    return 0;
  } catch (error) {
    out.stderr.write(`session:stats: could not read ${cache ? 'the session cache or the database' : 'the database'}: ${(error as Error).message.split('\n')[0]}\n`);
    return 2;
  } finally {
    await Promise.all([db.close(), cache?.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2), process.env, process);
}
