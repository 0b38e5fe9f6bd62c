import type { Config } from '../config.ts';
import type { DjangoDatabase } from '../databases/open.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import type { LoadPermissions } from './permission-query.ts';
import { createPermissionStore } from './permissions-store.ts';
import { cacheFirst } from './cache-first-store.ts';
import { createCacheStore } from './cache-store.ts';
import { createMariaDbStore } from './mariadb-store.ts';
import { naiveZone, readingNaiveExpiry } from './naive-expiry.ts';
import { createPrismaStore } from './prisma-store.ts';
import { routeReads, type ReadSource, type Replica } from './replica.ts';
import { createSqlPermissionStore } from './sql-permissions-store.ts';
import type { SessionCache, SessionCacheOptions } from './session-cache.ts';
import { createSqlStore } from './sql-store.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { SessionStore } from './store.ts';

/**
 * The client for DJANGO_CACHE_URL, when one is configured; its owner closes it. The client library is loaded
 * only then: most sites keep sessions in the database, and @redis/client alone loads slower than the service.
 */
export async function openSessionCache(config: Config): Promise<SessionCache | undefined> {
  const { cache } = config;
  if (cache === undefined) return undefined;
  const options = sessionCacheOptions(config);
  if (cache.kind === 'redis') return (await import('./redis-store.ts')).createRedisCache(cache.url, cache, options);
  return (await import('./memcached-store.ts')).createMemcachedCache(cache.url, options);
}

export function sessionCacheOptions(config: Config): SessionCacheOptions {
  return { timeoutMs: config.dbTimeoutMs, maxBytes: config.django.maxSessionBytes };
}

/** SESSION_STORE=sql: the hot-path store on the database's own driver. */
function sqlStore(db: DjangoDatabase): SessionStore {
  switch (db.provider) {
    case 'postgresql':
      return createSqlStore(db.pool, db.prisma);
    case 'mysql':
      return createMariaDbStore(db.pool, db.prisma);
    case 'sqlite':
      return createSqliteStore(db);
  }
}

/** The database's own store, read at Django's TIME_ZONE where expire_date is naive. */
function databaseStore(config: Config, db: DjangoDatabase): SessionStore {
  const store = config.sessionStore === 'prisma' ? createPrismaStore(db.prisma) : sqlStore(db);
  return db.naiveDatetimes ? readingNaiveExpiry(store, naiveZone(config)) : store;
}

export function storeFromConfig(config: Config, db: DjangoDatabase, cache?: SessionCache): SessionStore {
  const database = databaseStore(config, db);
  if (config.cache === undefined) return database;
  if (cache === undefined) throw new Error('DJANGO_CACHE_URL is set but no session cache was opened for it');
  const options = { cache, keys: config.cache, timeoutMs: config.dbTimeoutMs };
  if (config.sessionEngine === 'cache') return createCacheStore({ ...options, users: database });
  // Half the request's deadline for the cache, so that the database still has time to answer a miss.
  return cacheFirst({ ...options, db: database, timeoutMs: config.dbTimeoutMs / 2 });
}

/**
 * The permission loader that goes with SESSION_STORE: pg named statements on PostgreSQL; elsewhere, and with
 * SESSION_STORE=prisma, Prisma's $queryRaw, which writes the provider's own placeholders and quotes.
 */
export function permissionStoreFromConfig(config: Config, db: DjangoDatabase): LoadPermissions {
  return config.sessionStore === 'sql' && db.provider === 'postgresql' ? createSqlPermissionStore(db.pool, db.prisma) : createPermissionStore(db.prisma);
}

export interface ReadOptions {
  /** DATABASE_REPLICA_URL's replica: asked first, the primary `db` deciding what lag could explain. */
  replica?: Replica;
  onAnswer?: (source: ReadSource) => void;
  /** DJANGO_CACHE_URL's client (openSessionCache): the same cache whichever database answers. */
  cache?: SessionCache;
}

/** The pages' lookups, uncached: the primary's, or the replica's with the primary deciding what lag could explain. */
export function lookupsFromConfig(config: Config, db: DjangoDatabase, { replica, onAnswer, cache }: ReadOptions = {}): Authenticate {
  const on = (database: DjangoDatabase) => createAuthenticate({ store: storeFromConfig(config, database, cache), settings: config.django, engine: config.sessionEngine });
  return replica
    ? routeReads({ replica: on(replica.db), primary: on(db), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
    : on(db);
}

/** The lookups behind the decision cache, when SESSION_CACHE_TTL_MS is set. */
export function cachedFromConfig(config: Config, authenticate: Authenticate): Authenticate {
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
