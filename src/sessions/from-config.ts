import {
  databasePermissions,
  databaseStore,
  engineStore,
  lookupsFor,
  naiveZone,
  openSessionCache,
  readingNaiveExpiry,
  sessionCacheOptions,
  withDecisionCache,
  type Authenticate,
  type LoadPermissions,
  type ReadSource,
  type Replica,
  type SessionCache,
  type SessionStore,
} from 'django-session-bridge';
import type { Config } from '../config.ts';
import type { DjangoDatabase } from '../databases/open.ts';
import { createPermissionStore } from './permissions-store.ts';
import { createPrismaStore, tablesFromPrisma } from 'django-session-bridge/prisma';

export { openSessionCache, sessionCacheOptions };

/** SESSION_STORE's store for a database: the library's SQL on the database's own driver, or Prisma Client. */
export function databaseStoreFromConfig(config: Config, db: DjangoDatabase): SessionStore {
  if (config.sessionStore === 'sql') return databaseStore(config, db, tablesFromPrisma(db.prisma));
  const store = createPrismaStore(db.prisma);
  return db.naiveDatetimes ? readingNaiveExpiry(store, naiveZone(config)) : store;
}

/** The engine's store: the database's, behind the session cache where the engine reads one. */
export function storeFromConfig(config: Config, db: DjangoDatabase, cache?: SessionCache): SessionStore {
  return engineStore(config, databaseStoreFromConfig(config, db), cache);
}

/** The permission loader that goes with SESSION_STORE: the library's SQL on the database's driver, or Prisma's $queryRawUnsafe. */
export function permissionStoreFromConfig(config: Config, db: DjangoDatabase): LoadPermissions {
  return config.sessionStore === 'sql' ? databasePermissions(db, tablesFromPrisma(db.prisma)) : createPermissionStore(db.prisma);
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
  const replicaReads = replica && { store: databaseStore(config, replica.db, tablesFromPrisma(db.prisma)), timeoutMs: replica.timeoutMs, usable: replica.usable };
  return lookupsFor(config, databaseStoreFromConfig(config, db), { replica: replicaReads, onAnswer, cache });
}

/** The lookups behind the decision cache, when SESSION_CACHE_TTL_MS is set. */
export function cachedFromConfig(config: Config, authenticate: Authenticate): Authenticate {
  return withDecisionCache(config, authenticate);
}
