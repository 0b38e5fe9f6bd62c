import { sessionCacheKey } from 'django-session-bridge/django';
import type { CacheServer } from '../test/helpers/cache-server.ts';
import { pickleSession } from '../test/helpers/django.ts';
import { REDIS_MISSING, redisSet, startRedis } from '../test/helpers/redis-server.ts';
import type { BenchDatabase } from './database.ts';

/**
 * A private Redis holding every bench session as Django's cache engine and cached_db store them (pickled,
 * default KEY_PREFIX and VERSION), for the redis variant and bench/cached-db-ab.ts; undefined when
 * redis-server is not installed.
 */
export async function startBenchRedis(database: BenchDatabase): Promise<CacheServer | undefined> {
  if (REDIS_MISSING.length > 0) return undefined;
  const redis = await startRedis();
  const entries: Record<string, Buffer> = {};
  for (const [key, session] of database.sessions) {
    const value = pickleSession(session);
    for (const engine of ['cache', 'cached_db'] as const) entries[sessionCacheKey(engine, key, { keyPrefix: '', version: 1 })] = value;
  }
  await redisSet(redis.url, entries, 24 * 3600);
  return redis;
}
