import type { Config } from '../config.ts';
import type { Database } from '../db.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import { createPrismaStore } from './prisma-store.ts';
import { routeReads, type ReadSource, type Replica } from './replica.ts';
import { createSqlStore } from './sql-store.ts';
import type { SessionStore } from './store.ts';

export function storeFromConfig(config: Config, db: Database): SessionStore {
  return config.sessionStore === 'prisma' ? createPrismaStore(db.prisma) : createSqlStore(db.pool, db.prisma);
}

export interface ReadOptions {
  /** DATABASE_REPLICA_URL's replica: asked first, the primary `db` deciding what lag could explain. */
  replica?: Replica;
  onAnswer?: (source: ReadSource) => void;
}

/** The pages' lookups, uncached: the primary's, or the replica's with the primary deciding what lag could explain. */
export function lookupsFromConfig(config: Config, db: Database, { replica, onAnswer }: ReadOptions = {}): Authenticate {
  const on = (database: Database) => createAuthenticate({ store: storeFromConfig(config, database), settings: config.django, engine: config.sessionEngine });
  return replica
    ? routeReads({ replica: on(replica.db), primary: on(db), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
    : on(db);
}

/** The lookups behind the decision cache, when SESSION_CACHE_TTL_MS is set. */
export function cachedFromConfig(config: Config, authenticate: Authenticate): Authenticate {
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
