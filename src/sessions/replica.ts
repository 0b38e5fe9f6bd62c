import type { Replica } from 'django-session-bridge';
import { openReplica } from 'django-session-bridge/postgresql';
import type { Config } from '../config.ts';
import { createDatabase, type Database } from '../db.ts';

/** Told of idle-connection errors, and of the replica becoming usable or not. */
export interface ReplicaHooks {
  onIdleError?: (error: Error) => void;
  onChange?: Parameters<typeof openReplica>[0]['onChange'];
}

/** The library's replica, with a Prisma client on its pool as on the primary's (SESSION_STORE=prisma, the tools). */
export interface ServiceReplica extends Replica {
  db: Database;
}

/** DATABASE_REPLICA_URL's replica (the library's openReplica), or undefined when it is not set. */
export function openReplicaFromConfig(config: Config, hooks: ReplicaHooks = {}): ServiceReplica | undefined {
  if (config.databaseReplicaUrl === undefined) return undefined;
  const replica = openReplica({ url: config.databaseReplicaUrl, maxLagMs: config.databaseReplicaMaxLagMs, dbTimeoutMs: config.dbTimeoutMs, poolMax: config.dbPoolMax, ...hooks });
  const db = createDatabase({ url: config.databaseReplicaUrl, poolMax: config.dbPoolMax, timeoutMs: replica.timeoutMs }, replica.db.pool);
  return {
    ...replica,
    db,
    async close() {
      await db.prisma.$disconnect();
      await replica.close();
    },
  };
}
