import type { Config } from '../config.ts';
import type { Database } from '../db.ts';
import { createAuthenticate, type Authenticate } from './authenticate.ts';
import { cacheDecisions } from './cache.ts';
import { createPrismaStore } from './prisma-store.ts';
import { createSqlStore } from './sql-store.ts';
import type { SessionStore } from './store.ts';

export function storeFromConfig(config: Config, db: Database): SessionStore {
  return config.sessionStore === 'prisma' ? createPrismaStore(db.prisma) : createSqlStore(db.pool, db.prisma);
}

export function authenticateFromConfig(config: Config, store: SessionStore): Authenticate {
  const authenticate = createAuthenticate({ store, settings: config.django, engine: config.sessionEngine });
  if (config.sessionCacheTtlMs === 0) return authenticate;
  return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
