import { LRUCache } from 'lru-cache';
import type { Verdict } from '../django/index.ts';
import type { Authenticate } from './authenticate.ts';

/** The decision cache's time to live and size. */
export interface DecisionCacheOptions {
  /** How long a verdict is reused, counted from the moment its lookup finished. */
  ttlMs: number;
  /** Most cookies remembered; the least recently used is dropped first. */
  max: number;
  /** The clock TTLs are measured with (milliseconds); tests pass their own. */
  now?: () => number;
}

/**
 * Reuses each cookie's verdict for ttlMs instead of asking the database on every request.
 *
 * The price is staleness: whatever Django changes after a verdict was cached — a log-out, a password
 * change, a deactivated user, an expired or deleted session — shows here up to ttlMs later, and a cached
 * verdict keeps being served while the database is down. A verdict for a new session key is never stale:
 * Django's login() always cycles the key.
 *
 * Concurrent requests with the same cookie share one lookup, so an expiring entry costs one lookup rather
 * than one per waiting request (the p99 spike when entries expire together). A lookup that fails is not
 * cached: every request waiting on it fails (503) and the next one asks again.
 */
export function cacheDecisions(authenticate: Authenticate, { ttlMs, max, now }: DecisionCacheOptions): Authenticate {
  const verdicts = new LRUCache<string, Verdict>({
    max,
    ttl: ttlMs,
    // Read the clock on every lookup: lru-cache would otherwise reuse one reading for up to a millisecond.
    ttlResolution: 0,
    ...(now ? { perf: { now } } : {}),
  });
  // Bounded by the requests in flight: each entry has at least one request waiting on it.
  const inFlight = new Map<string, Promise<Verdict>>();

  function lookUp(cookie: string): Promise<Verdict> {
    const lookup = authenticate(cookie).then(
      (verdict) => {
        inFlight.delete(cookie);
        verdicts.set(cookie, verdict);
        return verdict;
      },
      (error: unknown) => {
        inFlight.delete(cookie);
        throw error;
      },
    );
    inFlight.set(cookie, lookup);
    return lookup;
  }

  return function cachedAuthenticate(cookie) {
    // No cookie means no lookup: nothing to save.
    if (cookie === undefined || cookie === '') return authenticate(cookie);
    const cached = verdicts.get(cookie);
    if (cached !== undefined) return Promise.resolve(cached);
    return inFlight.get(cookie) ?? lookUp(cookie);
  };
}
