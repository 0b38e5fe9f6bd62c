import type { Reason } from 'django-session-bridge/django';
import type { Config } from '../config.ts';
import { createDatabase, createPool, type Database } from '../db.ts';
import { withinDeadline } from '../deadline.ts';
import type { Authenticate } from './authenticate.ts';
import { watchReplica, type ReplicaState } from './replica-lag.ts';

/** Who answered a verdict: the replica; the primary, asked directly; or the primary after the replica. */
export type ReadSource = 'replica' | 'primary' | 'fallback';

/**
 * Verdicts a replica that has not replayed Django's latest writes gives wrongly: a new session (login()
 * always writes a new key), an expire_date Django pushed back on save, a new or reactivated user, a new
 * password with the session hash that goes with it. The primary decides these.
 */
const LAG_EXPLAINS: ReadonlySet<Reason> = new Set<Reason>(['no_row', 'expired', 'no_user', 'inactive', 'hash_mismatch']);

/** Whether the primary decides after the replica gave this reason. */
export function lagCouldExplain(reason: Reason): boolean {
  return LAG_EXPLAINS.has(reason);
}

export interface Replica {
  db: Database;
  /** The replica's share of DB_TIMEOUT_MS: the primary's fallback gets the rest of the same deadline. */
  timeoutMs: number;
  maxLagMs: number | undefined;
  state(): ReplicaState;
  /** Ask it now: its last poll answered and, with a bound set, its lag is within it. */
  usable(): boolean;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  onIdleError?: (error: Error) => void;
  onChange?: (state: ReplicaState, usable: boolean) => void;
}

/** A third of the deadline, so that after a replica that never answers the primary still has two. */
function replicaTimeoutMs(dbTimeoutMs: number): number {
  return Math.floor(dbTimeoutMs / 3);
}

/**
 * The replica's pool (created like the primary's) and its lag watch; undefined without DATABASE_REPLICA_URL.
 * The watch polls on a connection of its own: on the pages' pool, a poll queued behind a busy moment's
 * lookups would time out and rule a healthy replica out, sending all reads to the primary when it is busiest.
 */
export function openReplica(config: Config, { onIdleError, onChange }: ReplicaOptions = {}): Replica | undefined {
  if (config.databaseReplicaUrl === undefined) return undefined;
  const timeoutMs = replicaTimeoutMs(config.dbTimeoutMs);
  const maxLagMs = config.databaseReplicaMaxLagMs;
  const db = createDatabase({ url: config.databaseReplicaUrl, poolMax: config.dbPoolMax, timeoutMs, onIdleError });
  const lagPool = createPool({ url: config.databaseReplicaUrl, poolMax: 1, timeoutMs, onIdleError });
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

export interface RouteReadsOptions {
  replica: Authenticate;
  primary: Authenticate;
  /** How long the replica has before the primary is asked instead. */
  replicaTimeoutMs: number;
  /** Whether to ask the replica at all right now. */
  useReplica: () => boolean;
  onAnswer?: (source: ReadSource) => void;
}

/**
 * Django's read-replica routing, for the one question this service asks: the replica decides, unless its
 * verdict is one replication lag could explain, or it fails or is slow; then the primary decides. So a
 * lagging replica never logs out someone who just logged in or changed their password, and a replica outage
 * costs latency while the primary answers.
 *
 * The other direction is not caught: a log-out, a password change made elsewhere or a deactivation shows
 * only once the replica has replayed it (with DATABASE_REPLICA_MAX_LAG_MS, about that late at most, plus the
 * second between two lag polls). The same kind of staleness bound as the decision cache's TTL.
 */
export function routeReads({ replica, primary, replicaTimeoutMs, useReplica, onAnswer }: RouteReadsOptions): Authenticate {
  return async function routedAuthenticate(cookie) {
    // No cookie, no lookup: nothing to route.
    if (cookie === undefined || cookie === '') return primary(cookie);
    if (!useReplica()) {
      const verdict = await primary(cookie);
      onAnswer?.('primary');
      return verdict;
    }
    try {
      const verdict = await withinDeadline(replica(cookie), replicaTimeoutMs);
      if (!lagCouldExplain(verdict.reason)) {
        onAnswer?.('replica');
        return verdict;
      }
    } catch {
      // A replica error or timeout is not the visitor's verdict: the primary's is.
    }
    const verdict = await primary(cookie);
    onAnswer?.('fallback');
    return verdict;
  };
}
