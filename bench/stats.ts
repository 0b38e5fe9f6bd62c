import type { CaseName } from './database.ts';

/** One variant under one case's load, in one round. */
export interface Sample {
  round: number;
  case: CaseName;
  variant: string;
  rps: number;
  p50: number;
  p99: number;
  /** Peak resident memory of the server's processes during the measurement. */
  rssBytes: number;
  /** CPU time the server's processes used per request served (user + system). */
  cpuUsPerRequest: number;
}

export interface Summary {
  case: CaseName;
  variant: string;
  rounds: number;
  /** Medians over the rounds. */
  rps: number;
  p50: number;
  p99: number;
  /** Highest of the rounds' peaks. */
  rssMb: number;
  /** Median CPU per request: unlike req/s, barely moved by what else the machine is doing. */
  cpuUs: number;
  /** The floor it is compared to: the one on its own database. */
  floor: string;
  /** Median over the rounds of rps ÷ that floor's rps in the same round and case. */
  vsFloor: number | undefined;
  /** The same against Django's page. */
  vsDjango: number | undefined;
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Medians per case and variant. Ratios are taken round by round against a baseline measured in the same round
 * (alternating), so drift in the machine's load over the run cancels out, and only then is their median taken.
 */
export function summarize(samples: Sample[], floorOf: (variant: string) => string, django: string): Summary[] {
  const baseline = (name: string, sample: Sample) => samples.find((s) => s.variant === name && s.case === sample.case && s.round === sample.round);
  const ratioTo = (name: string, group: Sample[]) => {
    const ratios = group.flatMap((sample) => {
      const base = baseline(name, sample);
      return base && base.rps > 0 ? [sample.rps / base.rps] : [];
    });
    return ratios.length > 0 ? median(ratios) : undefined;
  };
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = `${sample.case}\u0000${sample.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Sample;
    const floor = floorOf(first.variant);
    return {
      case: first.case,
      variant: first.variant,
      rounds: group.length,
      rps: median(group.map((s) => s.rps)),
      p50: median(group.map((s) => s.p50)),
      p99: median(group.map((s) => s.p99)),
      rssMb: Math.max(...group.map((s) => s.rssBytes)) / 2 ** 20,
      cpuUs: median(group.map((s) => s.cpuUsPerRequest)),
      floor,
      vsFloor: ratioTo(floor, group),
      vsDjango: ratioTo(django, group),
    };
  });
}

export interface Target {
  name: string;
  requirement: string;
  measured: string;
  met: boolean | undefined;
}

/** The targets, judged on the logged-in case (the page that makes both lookups). */
export function checkTargets(summary: Summary[], startupMs: number | undefined): Target[] {
  const loggedIn = (variant: string) => summary.find((s) => s.case === 'logged in' && s.variant === variant);
  const targets: Target[] = [];
  const add = (name: string, requirement: string, value: number | undefined, format: (v: number) => string, ok: (v: number) => boolean) =>
    targets.push({ name, requirement, measured: value === undefined ? 'not measured' : format(value), met: value === undefined ? undefined : ok(value) });
  const ratio = (v: number) => `${v.toFixed(2)}×`;
  const ms = (v: number) => `${Math.round(v)} ms`;
  const sql = loggedIn('sql');
  const cache = loggedIn('sql+cache');
  const mariadb = loggedIn('mariadb');
  const sqlite = loggedIn('sqlite');
  add('sql store, cache off, one process', '≥ 0.65× the floor', sql?.vsFloor, ratio, (v) => v >= 0.65);
  add('sql store, cache off, one process', 'p99 < 30 ms', sql?.p99, ms, (v) => v < 30);
  add('sql store, cache off, one process', 'RSS under load < 150 MB', sql?.rssMb, (v) => `${Math.round(v)} MB`, (v) => v < 150);
  add('cache on', '≥ 1.8× the floor', cache?.vsFloor, ratio, (v) => v >= 1.8);
  add('cache on', 'p99 < 20 ms', cache?.p99, ms, (v) => v < 20);
  add('mariadb store, cache off, one process', '≥ 0.5× the floor on MariaDB', mariadb?.vsFloor, ratio, (v) => v >= 0.5);
  add('sqlite store, cache off, one process', '≥ 0.5× the floor on SQLite', sqlite?.vsFloor, ratio, (v) => v >= 0.5);
  add('start-up to first served request', '< 1 s', startupMs, ms, (v) => v < 1000);
  return targets;
}
