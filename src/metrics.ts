import { REASONS, type Reason } from 'django-session-bridge/django';
import type { ReadSource } from 'django-session-bridge';
import type { ReplicaState } from 'django-session-bridge';

const SOURCES: readonly ReadSource[] = ['replica', 'primary', 'fallback'];

/** Per-reason verdict counters, for the metrics endpoint. */
export class VerdictCounters {
  readonly #counts = new Map<Reason, number>(REASONS.map((reason) => [reason, 0]));
  #dbErrors = 0;
  #cacheErrors = 0;
  #sources: Map<ReadSource, number> | undefined;
  #replica: (() => ReplicaState) | undefined;

  count(reason: Reason): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
  }

  countDbError(): void {
    this.#dbErrors += 1;
  }

  /** A 503 because the session cache (DJANGO_CACHE_URL) did not answer. */
  countCacheError(): void {
    this.#cacheErrors += 1;
  }

  /** With DATABASE_REPLICA_URL: counts verdicts by source and reports the replica's last poll. */
  watchReplica(state: () => ReplicaState): void {
    this.#sources = new Map(SOURCES.map((source) => [source, 0]));
    this.#replica = state;
  }

  countSource(source: ReadSource): void {
    this.#sources?.set(source, (this.#sources.get(source) ?? 0) + 1);
  }

  snapshot(): { verdicts: Record<Reason, number>; dbErrors: number; cacheErrors: number } {
    return { verdicts: Object.fromEntries(this.#counts) as Record<Reason, number>, dbErrors: this.#dbErrors, cacheErrors: this.#cacheErrors };
  }

  /** Prometheus text exposition format. */
  toPrometheus(): string {
    const lines = [
      '# HELP bridge_verdicts_total Session verdicts by reason.',
      '# TYPE bridge_verdicts_total counter',
      ...[...this.#counts].map(([reason, count]) => `bridge_verdicts_total{reason="${reason}"} ${count}`),
      '# HELP bridge_database_errors_total Requests answered 503 because the database did not answer.',
      '# TYPE bridge_database_errors_total counter',
      `bridge_database_errors_total ${this.#dbErrors}`,
      '# HELP bridge_cache_errors_total Requests answered 503 because the session cache did not answer.',
      '# TYPE bridge_cache_errors_total counter',
      `bridge_cache_errors_total ${this.#cacheErrors}`,
      ...this.#replicaLines(),
    ];
    return lines.join('\n') + '\n';
  }

  #replicaLines(): string[] {
    if (this.#sources === undefined || this.#replica === undefined) return [];
    const { up, lagMs } = this.#replica();
    return [
      '# HELP bridge_verdicts_by_source_total Verdicts by who decided them: the replica (also those that needed no lookup), the primary asked directly, or the primary after the replica (fallback).',
      '# TYPE bridge_verdicts_by_source_total counter',
      ...[...this.#sources].map(([source, count]) => `bridge_verdicts_by_source_total{source="${source}"} ${count}`),
      '# HELP bridge_replica_up Whether the read replica answered its last lag poll.',
      '# TYPE bridge_replica_up gauge',
      `bridge_replica_up ${up ? 1 : 0}`,
      '# HELP bridge_replica_lag_seconds Replay lag of the read replica at its last poll (NaN when unknown).',
      '# TYPE bridge_replica_lag_seconds gauge',
      `bridge_replica_lag_seconds ${lagMs === null ? 'NaN' : lagMs / 1000}`,
    ];
  }
}
