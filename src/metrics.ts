import { REASONS, type Reason } from './django/reasons.ts';

/** Per-reason verdict counters, for the metrics endpoint. */
export class VerdictCounters {
  readonly #counts = new Map<Reason, number>(REASONS.map((reason) => [reason, 0]));
  #dbErrors = 0;
  #cacheErrors = 0;

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
    ];
    return lines.join('\n') + '\n';
  }
}
