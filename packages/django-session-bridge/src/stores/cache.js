import { LRUCache } from 'lru-cache';
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
export function cacheDecisions(authenticate, { ttlMs, max, now }) {
    const verdicts = new LRUCache({
        max,
        ttl: ttlMs,
        // Read the clock on every lookup: lru-cache would otherwise reuse one reading for up to a millisecond.
        ttlResolution: 0,
        ...(now ? { perf: { now } } : {}),
    });
    // Bounded by the requests in flight: each entry has at least one request waiting on it.
    const inFlight = new Map();
    function lookUp(cookie) {
        const lookup = authenticate(cookie).then((verdict) => {
            inFlight.delete(cookie);
            verdicts.set(cookie, verdict);
            return verdict;
        }, (error) => {
            inFlight.delete(cookie);
            throw error;
        });
        inFlight.set(cookie, lookup);
        return lookup;
    }
    return function cachedAuthenticate(cookie) {
        // No cookie means no lookup: nothing to save.
        if (cookie === undefined || cookie === '')
            return authenticate(cookie);
        const cached = verdicts.get(cookie);
        if (cached !== undefined)
            return Promise.resolve(cached);
        return inFlight.get(cookie) ?? lookUp(cookie);
    };
}
//# sourceMappingURL=cache.js.map