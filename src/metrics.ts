import { REASONS, type Reason } from './django/reasons.ts';

/** Per-reason verdict counters, for the metrics endpoint. */
export class VerdictCounters {
  readonly #counts = new Map<Reason, number>(REASONS.map((reason) => [reason, 0]));
  #dbErrors = 0;

  count(reason: Reason): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
  }

  countDbError(): void {
    this.#dbErrors += 1;
  }

  snapshot(): { verdicts: Record<Reason, number>; dbErrors: number } {
    return { verdicts: Object.fromEntries(this.#counts) as Record<Reason, number>, dbErrors: this.#dbErrors };
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
    ];
    return lines.join('\n') + '\n';
  }
}
