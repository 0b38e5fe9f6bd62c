import { parseArgs } from 'node:util';
import type { LoadGenerator } from './load.ts';

export interface BenchOptions {
  /** Measured rounds; every variant runs every case once per round, in a rotating order. */
  rounds: number;
  /** Rounds run first and thrown away while the JIT, the pools and PostgreSQL's caches warm up. */
  warmupRounds: number;
  /** Seconds of load per variant, case and round. */
  durationS: number;
  connections: number;
  /** autocannon (default, from npm) or wrk (Debian's `wrk`, as the issue measured; never needed by CI). */
  load: LoadGenerator;
  /** Distinct sessions (and users) per case, cycled through by every connection. */
  sessions: number;
  /** SESSION_CACHE_TTL_MS of the cache-on variant. */
  cacheTtlMs: number;
  /** Start-up measurements (spawn to first 200). */
  startups: number;
  /** Only these variants (all when empty). */
  variants: string[];
  /** gunicorn workers and threads per worker for the Django variant. */
  djangoWorkers: number | undefined;
  djangoThreads: number;
  /** Run the service from src/ through tsx instead of the production build in dist/ (for the smoke test). */
  source: boolean;
  /** A PostgreSQL superuser URL to create the bench database on, instead of starting an embedded server. */
  adminUrl: string | undefined;
  /** Where the JSON result goes; by default bench/results/tmp/<timestamp>.json (ignored by git: commit a run by moving it up). */
  out: string | undefined;
}

const FULL = { rounds: 5, warmupRounds: 2, durationS: 4, startups: 5 };
// Proves every piece runs end to end and measures nothing worth quoting. Each load lasts a second: on a busy
// CI machine a cold variant's first answers took over 0.3 s, and a window with no answer in it fails the run.
const QUICK = { rounds: 1, warmupRounds: 0, durationS: 1, startups: 1 };

function number(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      load: { type: 'string', default: 'autocannon' },
      sessions: { type: 'string' },
      'cache-ttl': { type: 'string' },
      startups: { type: 'string' },
      variants: { type: 'string' },
      'django-workers': { type: 'string' },
      'django-threads': { type: 'string' },
      source: { type: 'boolean', default: false },
      'admin-url': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const base = values.quick ? QUICK : FULL;
  const load = values.load ?? 'autocannon';
  if (load !== 'autocannon' && load !== 'wrk') throw new Error(`--load must be autocannon or wrk, got "${load}"`);
  return {
    rounds: number('rounds', values.rounds, base.rounds, 1),
    warmupRounds: number('warmup', values.warmup, base.warmupRounds, 0),
    durationS: number('duration', values.duration, base.durationS, 0.1),
    connections: number('connections', values.connections, 32, 1),
    load,
    sessions: number('sessions', values.sessions, 32, 1),
    cacheTtlMs: number('cache-ttl', values['cache-ttl'], 1000, 1),
    startups: number('startups', values.startups, base.startups, 0),
    variants: (values.variants ?? '').split(',').map((name) => name.trim()).filter(Boolean),
    djangoWorkers: values['django-workers'] === undefined ? undefined : number('django-workers', values['django-workers'], 1, 1),
    djangoThreads: number('django-threads', values['django-threads'], 4, 1),
    source: values.source ?? false,
    adminUrl: values['admin-url'],
    out: values.out,
  };
}
