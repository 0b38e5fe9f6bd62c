import type { Config } from '../config.ts';
import type { Database } from '../db.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import type { LoadPermissions } from './permission-query.ts';
import { createPermissionStore } from './permissions-store.ts';
import { cacheFirst } from './cache-first-store.ts';
import { createCacheStore } from './cache-store.ts';
import { createMemcachedCache } from './memcached-store.ts';
import { createPrismaStore } from './prisma-store.ts';
import { createRedisCache } from './redis-store.ts';
import { routeReads, type ReadSource, type Replica } from './replica.ts';
import { createSqlPermissionStore } from './sql-permissions-store.ts';
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

/** The permission loader that goes with SESSION_STORE: pg named statements or Prisma. */
export function permissionStoreFromConfig(config: Config, db: Database): LoadPermissions {
  return config.sessionStore === 'prisma' ? createPermissionStore(db.prisma) : createSqlPermissionStore(db.pool, db.prisma);
}

export interface ReadOptions {
  /** DATABASE_REPLICA_URL's replica: asked first, the primary `db` deciding what lag could explain. */
  replica?: Replica;
  onAnswer?: (source: ReadSource) => void;
  /** DJANGO_CACHE_URL's client (openSessionCache): the same cache whichever database answers. */
  cache?: SessionCache;
}

/** The pages' lookups, uncached: the primary's, or the replica's with the primary deciding what lag could explain. */
export function lookupsFromConfig(config: Config, db: Database, { replica, onAnswer, cache }: ReadOptions = {}): Authenticate {
  const on = (database: Database) => createAuthenticate({ store: storeFromConfig(config, database, cache), settings: config.django, engine: config.sessionEngine });
  return replica
    ? routeReads({ replica: on(replica.db), primary: on(db), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
    : on(db);
}

/** The lookups behind the decision cache, when SESSION_CACHE_TTL_MS is set. */
export function cachedFromConfig(config: Config, authenticate: Authenticate): Authenticate {
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
