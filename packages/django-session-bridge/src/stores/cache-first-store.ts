import { sessionCacheKey, type CacheKeySettings } from '../django/index.ts';
import { readCache, type SessionCache } from './session-cache.ts';
import type { SessionStore } from './store.ts';

/** cached_db: the cache to read first and the database store behind it. */
export interface CacheFirstOptions {
  cache: SessionCache;
  keys: CacheKeySettings;
  /** The django_session store: authoritative, since cached_db writes every change through to it. */
  db: SessionStore;
  /** How long the cache may take before the database is asked instead. */
  timeoutMs: number;
}

/**
 * cached_db read as Django's SessionStore.load() reads it: the cache entry when there is one, else the
 * database. Django treats any exception from the cache (down, or a value its backend cannot load) as a
 * miss, so a slow, absent or unreadable entry falls through to django_session here too.
 */
export function cacheFirst({ cache, keys, db, timeoutMs }: CacheFirstOptions): SessionStore {
  return {
    async findSession(sessionKey) {
      const cached = await readCache(cache, sessionCacheKey('cached_db', sessionKey, keys), timeoutMs).catch(() => null);
      if (cached?.ok) return { cached };
      return db.findSession(sessionKey);
    },
    findUser: (id) => db.findUser(id),
  };
}
