import type { DjangoConfig } from '../config/settings.ts';
import type { DjangoDatabase } from '../databases/open.ts';
import { createAuthenticate, type Authenticate } from '../stores/authenticate.ts';
import { cacheDecisions } from '../stores/cache.ts';
import { cacheFirst } from '../stores/cache-first-store.ts';
import { createCacheStore } from '../stores/cache-store.ts';
import { createMariaDbPermissionStore } from '../stores/mariadb-permissions-store.ts';
import { createMariaDbStore } from '../stores/mariadb-store.ts';
import { naiveZone, readingNaiveExpiry } from '../stores/naive-expiry.ts';
import type { LoadPermissions } from '../stores/permission-query.ts';
import { routeReads, type ReadSource } from '../stores/read-routing.ts';
import type { SessionCache, SessionCacheOptions } from '../stores/session-cache.ts';
import { createSqlPermissionStore } from '../stores/sql-permissions-store.ts';
import { createSqlStore } from '../stores/sql-store.ts';
import { createSqlitePermissionStore } from '../stores/sqlite-permissions-store.ts';
import { createSqliteStore } from '../stores/sqlite-store.ts';
import type { SessionStore } from '../stores/store.ts';
import type { DjangoTables } from '../stores/tables.ts';

/**
 * The client for the session cache, when one is configured; its owner closes it. The client library is
 * loaded only then: most sites keep sessions in the database, and @redis/client alone loads slower than the
 * rest of the library.
 */
export async function openSessionCache(config: DjangoConfig): Promise<SessionCache | undefined> {
  const { cache } = config;
  if (cache === undefined) return undefined;
  const options = sessionCacheOptions(config);
  if (cache.kind === 'redis') return (await import('../stores/redis-store.ts')).createRedisCache(cache.url, cache, options);
  return (await import('../stores/memcached-store.ts')).createMemcachedCache(cache.url, options);
}

/** The cache client's bounds: the request's deadline, and the largest session it decodes. */
export function sessionCacheOptions(config: DjangoConfig): SessionCacheOptions {
  return { timeoutMs: config.dbTimeoutMs, maxBytes: config.django.maxSessionBytes };
}

/** The database's own store, its driver's statements, read at Django's TIME_ZONE where expire_date is naive. */
export function databaseStore(config: DjangoConfig, db: DjangoDatabase, tables: DjangoTables): SessionStore {
  const store = db.provider === 'postgresql' ? createSqlStore(db.pool, tables) : db.provider === 'mysql' ? createMariaDbStore(db.pool, tables) : createSqliteStore(db, tables);
  return db.naiveDatetimes ? readingNaiveExpiry(store, naiveZone(config)) : store;
}

/** The database's permission loader, on the same driver as its store. */
export function databasePermissions(db: DjangoDatabase, tables: DjangoTables): LoadPermissions {
  if (db.provider === 'postgresql') return createSqlPermissionStore(db.pool, tables.permissions);
  if (db.provider === 'mysql') return createMariaDbPermissionStore(db.pool, tables.permissions);
  return createSqlitePermissionStore(db, tables.permissions);
}

/** The session engine's store over the database's: the cache alone, the cache before the database, or the database. */
export function engineStore(config: DjangoConfig, database: SessionStore, cache?: SessionCache): SessionStore {
  if (config.cache === undefined) return database;
  if (cache === undefined) throw new Error('a session cache is configured but none was opened for it');
  const options = { cache, keys: config.cache, timeoutMs: config.dbTimeoutMs };
  if (config.sessionEngine === 'cache') return createCacheStore({ ...options, users: database });
  // Half the request's deadline for the cache, so that the database still has time to answer a miss.
  return cacheFirst({ ...options, db: database, timeoutMs: config.dbTimeoutMs / 2 });
}

/** A replica's store and routing: asked first, within its share of the deadline, while usable. */
export interface ReplicaReads {
  store: SessionStore;
  timeoutMs: number;
  usable: () => boolean;
}

/** Where reads go beyond the primary: a replica, and what to report about it. */
export interface ReadOptions {
  /** A read replica: asked first, the primary deciding what lag could explain. */
  replica?: ReplicaReads;
  onAnswer?: (source: ReadSource) => void;
  /** The session cache's client (openSessionCache): the same cache whichever database answers. */
  cache?: SessionCache;
}

/** The lookups, uncached: the primary's, or the replica's with the primary deciding what lag could explain. */
export function lookupsFor(config: DjangoConfig, primary: SessionStore, { replica, onAnswer, cache }: ReadOptions = {}): Authenticate {
  const on = (store: SessionStore) => createAuthenticate({ store: engineStore(config, store, cache), settings: config.django, engine: config.sessionEngine });
  return replica
    ? routeReads({ replica: on(replica.store), primary: on(primary), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
    : on(primary);
}

/** The lookups behind the decision cache, when its TTL is set. */
export function withDecisionCache(config: DjangoConfig, authenticate: Authenticate): Authenticate {
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
