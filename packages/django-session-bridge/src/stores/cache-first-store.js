import { sessionCacheKey } from "../django/index.js";
import { readCache } from "./session-cache.js";
/**
 * cached_db read as Django's SessionStore.load() reads it: the cache entry when there is one, else the
 * database. Django treats any exception from the cache (down, or a value its backend cannot load) as a
 * miss, so a slow, absent or unreadable entry falls through to django_session here too.
 */
export function cacheFirst({ cache, keys, db, timeoutMs }) {
    return {
        async findSession(sessionKey) {
            const cached = await readCache(cache, sessionCacheKey('cached_db', sessionKey, keys), timeoutMs).catch(() => null);
            if (cached?.ok)
                return { cached };
            return db.findSession(sessionKey);
        },
        findUser: (id) => db.findUser(id),
    };
}
//# sourceMappingURL=cache-first-store.js.map