// cached_db: is reading Redis first faster than reading django_session alone? An alternating A/B in one
// run, through the service's own code (authenticate over the real stores), on the same sessions:
//   npx tsx bench/cached-db-ab.ts [--sessions N] [--blocks N] [--block-size N]
// A is cached_db reading django_session (pg prepared statements), B the same with DJANGO_CACHE_URL set
// (a Redis GET, the database on a miss). Both then load the user from PostgreSQL. Sequential lookups, so
// each time is one request's latency on an otherwise idle loop.
import { tablesFromPrisma } from 'django-session-bridge/prisma';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/dev/embedded-postgres.ts';
import { createDatabase } from '../src/db.ts';
import { createAuthenticate, type Authenticate } from 'django-session-bridge';
import { cacheFirst } from 'django-session-bridge';
import { createRedisCache } from 'django-session-bridge/redis';
import { createSqlStore } from 'django-session-bridge';
import { createBenchDatabase } from './database.ts';
import { startBenchRedis } from './redis.ts';
import { median } from './stats.ts';

const SECRET_KEY = 'bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const { values } = parseArgs({ options: { sessions: { type: 'string', default: '200' }, blocks: { type: 'string', default: '20' }, 'block-size': { type: 'string', default: '200' } } });

const postgres = await startEmbeddedPostgres();
const database = await createBenchDatabase(postgres.adminUrl, SECRET_KEY, Number(values.sessions));
const redis = await startBenchRedis(database);
if (!redis) throw new Error('redis-server is not installed');
const db = createDatabase({ url: database.url, poolMax: 4, timeoutMs: 2000 });
const cache = createRedisCache(redis.url, { serializer: 'pickle', compressor: 'none' }, { timeoutMs: 2000, maxBytes: 1_048_576 });
try {
  const settings = { secretKey: SECRET_KEY, secretKeyFallbacks: [], authenticationBackends: ['django.contrib.auth.backends.ModelBackend'], acceptLegacy: true, sessionCookieAge: 1_209_600, maxSessionBytes: 1_048_576 };
  const sql = createSqlStore(db.pool, tablesFromPrisma(db.prisma));
  const arms: Record<'A db' | 'B redis first', Authenticate> = {
    'A db': createAuthenticate({ store: sql, settings, engine: 'cached_db' }),
    'B redis first': createAuthenticate({ store: cacheFirst({ cache, keys: { keyPrefix: '', version: 1 }, db: sql, timeoutMs: 1000 }), settings, engine: 'cached_db' }),
  };
  const cookies = database.cookies['logged in'];
  const times: Record<string, number[]> = { 'A db': [], 'B redis first': [] };
  let n = 0;
  for (let block = 0; block < Number(values.blocks); block += 1) {
    // Alternate which arm goes first, so neither always runs on a warmer process.
    const order = (block % 2 === 0 ? ['A db', 'B redis first'] : ['B redis first', 'A db']) as (keyof typeof arms)[];
    for (const arm of order) {
      for (let i = 0; i < Number(values['block-size']); i += 1) {
        const cookie = cookies[n++ % cookies.length] as string;
        const started = performance.now();
        const verdict = await arms[arm](cookie);
        const ms = performance.now() - started;
        if (!verdict.loggedIn) throw new Error(`${arm}: ${verdict.reason}`);
        if (block > 0) times[arm]?.push(ms * 1000);
      }
    }
  }
  for (const [arm, us] of Object.entries(times)) {
    const sorted = [...us].sort((a, b) => a - b);
    console.log(`${arm.padEnd(14)} ${us.length} logged-in lookups: median ${Math.round(median(us))} µs, p90 ${Math.round(sorted[Math.floor(sorted.length * 0.9)] ?? 0)} µs`);
  }
} finally {
  await cache.close();
  await db.close();
  await redis.stop();
  await database.drop();
  await postgres.destroy();
}
