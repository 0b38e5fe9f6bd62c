import type { Config } from '../config.ts';
import type { Database } from '../db.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import type { LoadPermissions } from './permission-query.ts';
import { createPermissionStore } from './permissions-store.ts';
import { createPrismaStore } from './prisma-store.ts';
import { routeReads, type ReadSource, type Replica } from './replica.ts';
import { createSqlPermissionStore } from './sql-permissions-store.ts';
import { createSqlStore } from './sql-store.ts';
import type { SessionStore } from './store.ts';

export function storeFromConfig(config: Config, db: Database): SessionStore {
  return config.sessionStore === 'prisma' ? createPrismaStore(db.prisma) : createSqlStore(db.pool, db.prisma);
}

/** The permission loader that goes with SESSION_STORE: pg named statements or Prisma. */
export function permissionStoreFromConfig(config: Config, db: Database): LoadPermissions {
  return config.sessionStore === 'prisma' ? createPermissionStore(db.prisma) : createSqlPermissionStore(db.pool, db.prisma);
}

export interface ReadOptions {
  /** DATABASE_REPLICA_URL's replica: asked first, the primary `db` deciding what lag could explain. */
  replica?: Replica;
  onAnswer?: (source: ReadSource) => void;
}

export function authenticateFromConfig(config: Config, db: Database, { replica, onAnswer }: ReadOptions = {}): Authenticate {
  const on = (database: Database) => createAuthenticate({ store: storeFromConfig(config, database), settings: config.django, engine: config.sessionEngine });
  const authenticate = replica
    ? routeReads({ replica: on(replica.db), primary: on(db), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
    : on(db);
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
