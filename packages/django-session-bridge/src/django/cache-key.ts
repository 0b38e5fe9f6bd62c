/** Which of Django's two cache-backed engines wrote the entry: each has its own key prefix. */
export type CacheEngine = 'cache' | 'cached_db';

// SessionStore.cache_key_prefix of django.contrib.sessions.backends.cache and .cached_db.
const SESSION_PREFIX: Record<CacheEngine, string> = {
  cache: 'django.contrib.sessions.cache',
  cached_db: 'django.contrib.sessions.cached_db',
};

/** The cache settings that shape a session's cache key (KEY_PREFIX, VERSION). */
export interface CacheKeySettings {
  /** The cache alias's KEY_PREFIX (default ''). */
  keyPrefix: string;
  /** The cache alias's VERSION (default 1). */
  version: number;
}

/** django.core.cache.backends.base.default_key_func around the session engine's cache_key. */
export function sessionCacheKey(engine: CacheEngine, sessionKey: string, { keyPrefix, version }: CacheKeySettings): string {
  return `${keyPrefix}:${version}:${SESSION_PREFIX[engine]}${sessionKey}`;
}

/** The part every session key of that engine starts with: what a scan of the cache matches. */
export function sessionCacheKeyPrefix(engine: CacheEngine, settings: CacheKeySettings): string {
  return sessionCacheKey(engine, '', settings);
}
