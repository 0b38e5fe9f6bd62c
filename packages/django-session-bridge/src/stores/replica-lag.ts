import type pg from 'pg';

/** What the last poll of the replica said. */
export interface ReplicaState {
  /** It answered the last poll. */
  up: boolean;
  /** It is a physical standby (pg_is_in_recovery()); a logical replica or a primary is not. */
  standby: boolean;
  /**
   * How far replay is behind, in ms: 0 when everything received is replayed; null when unknown (not a standby,
   * not answering, or behind with no replayed transaction to date it by).
   */
  lagMs: number | null;
}

/** A replica's measured lag and health, polled in the background. */
export interface ReplicaWatch {
  state(): ReplicaState;
  /** Its last poll answered and, with a bound set, its lag is within it. */
  usable(): boolean;
  stop(): void;
}

/** How often the replica is polled: the lag is never read per request. */
const POLL_MS = 1000;

/** How often and how strictly a replica's lag is watched. */
export interface WatchOptions {
  /** Called when the replica becomes usable or stops being so (down, or lag over maxLagMs): worth a log line. */
  onChange?: (state: ReplicaState, usable: boolean) => void;
  maxLagMs?: number;
}

// pg_last_xact_replay_timestamp() is the primary's commit time of the last replayed transaction: on an idle
// primary it grows old with nothing left to replay. So it dates the lag only when received WAL waits for
// replay, or when no WAL receiver streams (cut off from the primary, the standby cannot tell what it misses).
// Behind after a long idle spell, the estimate runs high: the safe direction, it sends reads to the primary.
const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8
  END AS lag_ms`;

/** Until the first poll answers: assumed up (a request that fails there falls back anyway), lag unknown. */
const UNKNOWN: ReplicaState = { up: true, standby: false, lagMs: null };

/** Whether the lag rules the replica out: over maxLagMs, or unknown while a bound is set. */
function lagOverLimit(state: ReplicaState, maxLagMs: number | undefined): boolean {
  return maxLagMs !== undefined && (state.lagMs === null || state.lagMs > maxLagMs);
}

/** Polls the replica's replay lag in the background, once a second; a poll never overlaps the last. */
export function watchReplica(pool: pg.Pool, { onChange, maxLagMs }: WatchOptions = {}): ReplicaWatch {
  let current = UNKNOWN;
  let polling = false;
  let stopped = false;

  const usable = (state: ReplicaState) => state.up && !lagOverLimit(state, maxLagMs);

  function update(next: ReplicaState): void {
    if (stopped) return;
    const changed = usable(next) !== usable(current);
    current = next;
    if (changed) onChange?.(next, usable(next));
  }

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const { rows } = await pool.query<{ standby: boolean; lag_ms: number | null }>(LAG_SQL);
      const row = rows[0];
      const lagMs = row?.lag_ms ?? null;
      // A primary's clock ahead of the standby's would make a fresh commit look like negative lag.
      update({ up: true, standby: row?.standby === true, lagMs: lagMs === null ? null : Math.max(0, lagMs) });
    } catch {
      update({ up: false, standby: current.standby, lagMs: null });
    } finally {
      polling = false;
    }
  }

  void poll();
  const timer = setInterval(() => void poll(), POLL_MS);
  timer.unref();
  return {
    state: () => current,
    usable: () => usable(current),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
