// SessionStore.cache_key_prefix of django.contrib.sessions.backends.cache and .cached_db.
const SESSION_PREFIX = {
    cache: 'django.contrib.sessions.cache',
    cached_db: 'django.contrib.sessions.cached_db',
};
/** django.core.cache.backends.base.default_key_func around the session engine's cache_key. */
export function sessionCacheKey(engine, sessionKey, { keyPrefix, version }) {
    return `${keyPrefix}:${version}:${SESSION_PREFIX[engine]}${sessionKey}`;
}
/** The part every session key of that engine starts with: what a scan of the cache matches. */
export function sessionCacheKeyPrefix(engine, settings) {
    return sessionCacheKey(engine, '', settings);
}
//# sourceMappingURL=cache-key.js.map