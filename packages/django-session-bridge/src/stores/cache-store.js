import { sessionCacheKey } from "../django/index.js";
import { readCache } from "./session-cache.js";
/**
 * The cache engine (django.contrib.sessions.backends.cache): the session exists only in the cache, as the
 * dict itself; the entry's TTL is the session's expiry, so whatever is there is unexpired. A cache that does
 * not answer is an error (a 503), where Django would start an empty session.
 */
export function createCacheStore({ cache, keys, users, timeoutMs }) {
    return {
        async findSession(sessionKey) {
            const cached = await readCache(cache, sessionCacheKey('cache', sessionKey, keys), timeoutMs);
            return cached === null ? null : { cached };
        },
        findUser: (id) => users.findUser(id),
    };
}
//# sourceMappingURL=cache-store.js.map