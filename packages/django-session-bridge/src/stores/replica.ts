import { createPool, createPostgresDatabase, type PostgresDatabase } from '../databases/postgresql.ts';
import { watchReplica, type ReplicaState } from './replica-lag.ts';

/** An open read replica: its pool and its lag watch. */
export interface Replica {
  db: PostgresDatabase;
  /** The replica's share of DB_TIMEOUT_MS: the primary's fallback gets the rest of the same deadline. */
  timeoutMs: number;
  maxLagMs: number | undefined;
  state(): ReplicaState;
  /** Ask it now: its last poll answered and, with a bound set, its lag is within it. */
  usable(): boolean;
  close(): Promise<void>;
}

/** A read replica's URL, its lag bound and its pool settings. */
export interface ReplicaOptions {
  /** The replica's postgresql:// URL. */
  url: string;
  /** Above this replay lag, the primary is asked instead; undefined: no bound. */
  maxLagMs: number | undefined;
  /** The request's whole deadline: the replica gets a third of it. */
  dbTimeoutMs: number;
  poolMax: number;
  onIdleError?: (error: Error) => void;
  onChange?: (state: ReplicaState, usable: boolean) => void;
}

/** A third of the deadline, so that after a replica that never answers the primary still has two. */
function replicaTimeoutMs(dbTimeoutMs: number): number {
  return Math.floor(dbTimeoutMs / 3);
}

/**
 * The replica's pool (created like the primary's) and its lag watch; 
 * The watch polls on a connection of its own: on the pages' pool, a poll queued behind a busy moment's
 * lookups would time out and rule a healthy replica out, sending all reads to the primary when it is busiest.
 */
export function openReplica({ url, maxLagMs, dbTimeoutMs, poolMax, onIdleError, onChange }: ReplicaOptions): Replica {
  const timeoutMs = replicaTimeoutMs(dbTimeoutMs);
  const db = createPostgresDatabase({ url, poolMax, timeoutMs, onIdleError });
  const lagPool = createPool({ url, poolMax: 1, timeoutMs, onIdleError });
  const watch = watchReplica(lagPool, { maxLagMs, onChange });
  return {
    db,
    timeoutMs,
    maxLagMs,
    state: watch.state,
    usable: () => watch.usable(),
    async close() {
      watch.stop();
      await Promise.all([db.close(), lagPool.end()]);
    },
  };
}
