import type { Config } from '../config.ts';
import type { DjangoDatabase } from '../databases/open.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import { createMariaDbStore } from './mariadb-store.ts';
import { naiveZone, readingNaiveExpiry } from './naive-expiry.ts';
import { createPrismaStore } from './prisma-store.ts';
import { routeReads, type ReadSource, type Replica } from './replica.ts';
import { createSqlStore } from './sql-store.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { SessionStore } from './store.ts';

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

export function storeFromConfig(config: Config, db: DjangoDatabase): SessionStore {
  const store = config.sessionStore === 'prisma' ? createPrismaStore(db.prisma) : sqlStore(db);
  return db.naiveDatetimes ? readingNaiveExpiry(store, naiveZone(config)) : store;
}

export interface ReadOptions {
  /** DATABASE_REPLICA_URL's replica: asked first, the primary `db` deciding what lag could explain. */
  replica?: Replica;
  onAnswer?: (source: ReadSource) => void;
}

export function authenticateFromConfig(config: Config, db: DjangoDatabase, { replica, onAnswer }: ReadOptions = {}): Authenticate {
  const on = (database: DjangoDatabase) => createAuthenticate({ store: storeFromConfig(config, database), settings: config.django, engine: config.sessionEngine });
  const authenticate = replica
    ? routeReads({ replica: on(replica.db), primary: on(db), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
    : on(db);
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
