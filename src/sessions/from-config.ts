import type { Config } from '../config.ts';
import type { Database } from '../db.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import { cacheFirst } from './cache-first-store.ts';
import { createCacheStore } from './cache-store.ts';
import { createMemcachedCache } from './memcached-store.ts';
import { createPrismaStore } from './prisma-store.ts';
import { createRedisCache } from './redis-store.ts';
import type { SessionCache } from './session-cache.ts';
import { createSqlStore } from './sql-store.ts';
import type { SessionStore } from './store.ts';

/** The client for DJANGO_CACHE_URL, when one is configured; its owner closes it. */
export function openSessionCache(config: Config): SessionCache | undefined {
  const { cache } = config;
  if (cache === undefined) return undefined;
  const options = { timeoutMs: config.dbTimeoutMs, maxBytes: config.django.maxSessionBytes };
  return cache.kind === 'redis' ? createRedisCache(cache.url, cache, options) : createMemcachedCache(cache.url, options);
}

export function storeFromConfig(config: Config, db: Database, cache?: SessionCache): SessionStore {
  const database = config.sessionStore === 'prisma' ? createPrismaStore(db.prisma) : createSqlStore(db.pool, db.prisma);
  if (config.cache === undefined) return database;
  if (cache === undefined) throw new Error('DJANGO_CACHE_URL is set but no session cache was opened for it');
  const options = { cache, keys: config.cache, timeoutMs: config.dbTimeoutMs };
  if (config.sessionEngine === 'cache') return createCacheStore({ ...options, users: database });
  // Half the request's deadline for the cache, so that the database still has time to answer a miss.
  return cacheFirst({ ...options, db: database, timeoutMs: config.dbTimeoutMs / 2 });
}

export function authenticateFromConfig(config: Config, store: SessionStore): Authenticate {
  const authenticate = createAuthenticate({ store, settings: config.django, engine: config.sessionEngine });
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
