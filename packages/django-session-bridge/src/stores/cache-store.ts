import { sessionCacheKey, type CacheKeySettings } from '../django/index.ts';
import { readCache, type SessionCache } from './session-cache.ts';
import type { SessionStore } from './store.ts';

/** The cache session engine: the cache and the key settings. */
export interface CacheStoreOptions {
  cache: SessionCache;
  keys: CacheKeySettings;
  /** Users still come from Django's database. */
  users: SessionStore;
  timeoutMs: number;
}

/**
 * The cache engine (django.contrib.sessions.backends.cache): the session exists only in the cache, as the
 * dict itself; the entry's TTL is the session's expiry, so whatever is there is unexpired. A cache that does
 * not answer is an error (a 503), where Django would start an empty session.
 */
export function createCacheStore({ cache, keys, users, timeoutMs }: CacheStoreOptions): SessionStore {
  return {
    async findSession(sessionKey) {
      const cached = await readCache(cache, sessionCacheKey('cache', sessionKey, keys), timeoutMs);
      return cached === null ? null : { cached };
    },
    findUser: (id) => users.findUser(id),
  };
}
