import type { Reason } from '../django/index.ts';
import { withinDeadline } from '../deadline.ts';
import type { Authenticate } from './authenticate.ts';

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

/** Reads on a replica, with the primary deciding what replication lag could explain. */
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
