// A results file of `npm run bench` (bench/run.ts writes it), as the report reads it back.
import type { Summary, Target } from './stats.ts';

export interface BenchMachine {
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  postgres: string;
  django: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface BenchResults {
  finishedAt: string;
  /** The commit measured; files written before it was recorded have none. */
  commit?: string;
  machine: BenchMachine;
  options: { rounds: number; warmupRounds: number; durationS: number; connections: number; load: string };
  variants: { name: string; description: string }[];
  startupMs: number[];
  summary: Summary[];
  /** What the run judged against the targets (bench/stats.ts checkTargets). */
  targets?: Target[];
}

/** Parses a results file, failing with the field that is missing rather than drawing from nothing. */
export function parseResults(text: string): BenchResults {
  const results = JSON.parse(text) as Partial<BenchResults>;
  for (const field of ['finishedAt', 'machine', 'options', 'variants', 'summary'] as const) {
    if (results[field] === undefined) throw new Error(`not a bench results file: no "${field}"`);
  }
  if ((results.summary as Summary[]).length === 0) throw new Error('the results file has no measurements');
  return results as BenchResults;
}
