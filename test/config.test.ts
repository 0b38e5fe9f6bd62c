import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

const base = { DATABASE_URL: 'postgresql://localhost/django', DJANGO_SECRET_KEY: 'k' };

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has Django\'s defaults', () => {
    const config = loadConfig(base);
    assert.equal(config.sessionCookieName, 'sessionid');
    assert.equal(config.basePath, '/elixir');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.sessionEngine, 'db');
    assert.equal(config.sessionStore, 'sql');
    assert.equal(config.sessionCacheTtlMs, 0);
    assert.deepEqual(config.django.authenticationBackends, ['django.contrib.auth.backends.ModelBackend']);
    assert.deepEqual(config.django.secretKeyFallbacks, []);
    assert.equal(config.django.acceptLegacy, false);
    assert.equal(config.loginUrl, '/accounts/login/');
  });

  it('stops on a missing DJANGO_SECRET_KEY with a one-line explanation', () => {
    assert.match(configError({ DATABASE_URL: base.DATABASE_URL }), /^DJANGO_SECRET_KEY is required/);
  });

  it('requires DATABASE_URL in production and checks its scheme', () => {
    assert.match(configError({ DJANGO_SECRET_KEY: 'k', NODE_ENV: 'production' }), /^DATABASE_URL is required/);
    assert.match(configError({ ...base, DATABASE_URL: 'mysql://x/y' }), /^DATABASE_URL must be a postgresql/);
  });

  it('reads fallbacks, backends and the Django version', () => {
    const config = loadConfig({
      ...base,
      DJANGO_SECRET_KEY_FALLBACKS: 'old-1, old-2,',
      DJANGO_AUTHENTICATION_BACKENDS: 'a.B,c.D',
      DJANGO_VERSION: '4.2',
    });
    assert.deepEqual(config.django.secretKeyFallbacks, ['old-1', 'old-2']);
    assert.deepEqual(config.django.authenticationBackends, ['a.B', 'c.D']);
    assert.equal(loadConfig({ ...base, DJANGO_VERSION: '3.2' }).django.acceptLegacy, true);
  });

  it('takes a JSON array for keys that contain commas', () => {
    const config = loadConfig({ ...base, DJANGO_SECRET_KEY_FALLBACKS: '["a,b", "c"]' });
    assert.deepEqual(config.django.secretKeyFallbacks, ['a,b', 'c']);
    assert.match(configError({ ...base, DJANGO_SECRET_KEY_FALLBACKS: '[1, 2]' }), /JSON array of non-empty strings/);
    assert.match(configError({ ...base, DJANGO_SECRET_KEY_FALLBACKS: '[oops' }), /not a JSON array/);
  });

  it('refuses settings Django itself would not have', () => {
    assert.match(configError({ ...base, DJANGO_VERSION: '3.2', DJANGO_SECRET_KEY_FALLBACKS: 'old' }), /added in 4\.1/);
    assert.match(configError({ ...base, DJANGO_VERSION: '2.2' }), /3\.1 or newer/);
    assert.match(configError({ ...base, DJANGO_VERSION: 'latest' }), /^DJANGO_VERSION must look like/);
  });

  it('names the unsupported session engines and why', () => {
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'file' }), /not supported/);
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'cached_db' }).sessionEngine, 'cached_db');
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'django.contrib.sessions.backends.signed_cookies' }).sessionEngine, 'signed_cookies');
  });

  it('reads the cache engine\'s cache: URL, KEY_PREFIX, VERSION and the django-redis format', () => {
    const config = loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'django.contrib.sessions.backends.cache', DJANGO_CACHE_URL: 'redis://127.0.0.1:6379/1' });
    assert.equal(config.sessionEngine, 'cache');
    assert.deepEqual(config.cache, { kind: 'redis', url: 'redis://127.0.0.1:6379/1', keyPrefix: '', version: 1, serializer: 'pickle', compressor: 'none' });
    const tuned = loadConfig({
      ...base,
      DJANGO_SESSION_ENGINE: 'cached_db',
      DJANGO_CACHE_URL: 'rediss://cache.internal:6380',
      DJANGO_CACHE_KEY_PREFIX: 'site',
      DJANGO_CACHE_VERSION: '3',
      DJANGO_CACHE_SERIALIZER: 'json',
      DJANGO_CACHE_COMPRESSOR: 'zlib',
    });
    assert.deepEqual(tuned.cache, { kind: 'redis', url: 'rediss://cache.internal:6380', keyPrefix: 'site', version: 3, serializer: 'json', compressor: 'zlib' });
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: 'memcached://127.0.0.1:11211' }).cache?.kind, 'memcached');
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'cached_db' }).cache, undefined, 'cached_db reads django_session alone unless DJANGO_CACHE_URL is set');
  });

  it('refuses cache settings that cannot match a Django cache', () => {
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'cache' }), /^DJANGO_CACHE_URL is required with the cache engine/);
    assert.match(configError({ ...base, DJANGO_CACHE_URL: 'redis://127.0.0.1' }), /only read by the cache and cached_db engines/);
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: 'http://127.0.0.1' }), /redis:\/\/, rediss:\/\/ or memcached:\/\//);
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: 'memcached://a:1,b:2' }), /one memcached server/);
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: 'memcached://a:1', DJANGO_CACHE_SERIALIZER: 'json' }), /^DJANGO_CACHE_SERIALIZER applies to django-redis only/);
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: 'redis://a', DJANGO_CACHE_COMPRESSOR: 'lzma' }), /^DJANGO_CACHE_COMPRESSOR must be one of none, zlib/);
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: 'redis://a', DJANGO_CACHE_VERSION: 'v2' }), /^DJANGO_CACHE_VERSION must be a whole number/);
  });

  it('reads DJANGO_SESSION_SERIALIZER: json by default, pickle only where Django still has PickleSerializer', () => {
    assert.equal(loadConfig(base).django.serializer, 'json');
    assert.equal(loadConfig({ ...base, DJANGO_VERSION: '3.2', DJANGO_SESSION_SERIALIZER: 'pickle' }).django.serializer, 'pickle');
    assert.equal(loadConfig({ ...base, DJANGO_VERSION: '4.2', DJANGO_SESSION_SERIALIZER: 'django.contrib.sessions.serializers.PickleSerializer' }).django.serializer, 'pickle');
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_SERIALIZER: 'django.contrib.sessions.serializers.JSONSerializer' }).django.serializer, 'json');
    assert.match(configError({ ...base, DJANGO_SESSION_SERIALIZER: 'pickle' }), /^DJANGO_SESSION_SERIALIZER is "pickle", but Django 5\.0 removed PickleSerializer and DJANGO_VERSION is 5\.2$/);
    assert.match(configError({ ...base, DJANGO_VERSION: '5.0', DJANGO_SESSION_SERIALIZER: 'pickle' }), /removed PickleSerializer/);
    assert.match(configError({ ...base, DJANGO_SESSION_SERIALIZER: 'yaml' }), /^DJANGO_SESSION_SERIALIZER must be "json" or "pickle", got "yaml"$/);
  });

  it('reads the optional read replica and its lag bound, each only with what it needs', () => {
    const replica = 'postgresql://ro@10.0.0.2:5432/django';
    assert.equal(loadConfig({ ...base, DATABASE_REPLICA_URL: '' }).databaseReplicaUrl, undefined);
    assert.equal(loadConfig({ ...base, DATABASE_REPLICA_URL: replica }).databaseReplicaUrl, replica);
    assert.equal(loadConfig({ ...base, DATABASE_REPLICA_URL: replica }).databaseReplicaMaxLagMs, undefined);
    assert.equal(loadConfig({ ...base, DATABASE_REPLICA_URL: replica, DATABASE_REPLICA_MAX_LAG_MS: '5000' }).databaseReplicaMaxLagMs, 5000);
    assert.match(configError({ ...base, DATABASE_REPLICA_URL: 'mysql://x/y' }), /^DATABASE_REPLICA_URL must be a postgresql:\/\/ URL/);
    assert.match(configError({ ...base, DATABASE_REPLICA_MAX_LAG_MS: '5000' }), /DATABASE_REPLICA_MAX_LAG_MS is set but DATABASE_REPLICA_URL is not/);
    assert.match(configError({ ...base, DATABASE_REPLICA_URL: replica, DATABASE_REPLICA_MAX_LAG_MS: '5s' }), /DATABASE_REPLICA_MAX_LAG_MS must be a whole number/);
    assert.match(configError({ ...base, DATABASE_URL: '', DATABASE_REPLICA_URL: replica }), /DATABASE_REPLICA_URL is set but DATABASE_URL is not/);
  });

  it('validates numbers, names and paths', () => {
    assert.match(configError({ ...base, PORT: 'eighty' }), /^PORT must be a whole number/);
    assert.match(configError({ ...base, PORT: '70000' }), /^PORT must be between/);
    assert.match(configError({ ...base, BASE_PATH: 'no slash' }), /^BASE_PATH/);
    assert.match(configError({ ...base, SESSION_COOKIE_NAME: 'bad name' }), /^SESSION_COOKIE_NAME/);
    assert.match(configError({ ...base, LOG_LEVEL: 'loud' }), /^LOG_LEVEL/);
    assert.match(configError({ ...base, SESSION_STORE: 'redis' }), /^SESSION_STORE/);
    assert.match(configError({ ...base, DJANGO_USER_TABLE: 'x;drop' }), /^DJANGO_USER_TABLE/);
    assert.equal(loadConfig({ ...base, BASE_PATH: '/' }).basePath, '');
  });

  it('reads the CSRF and proxy settings with Django\'s defaults, and refuses what Django would not take', () => {
    const { csrf, proxy } = loadConfig(base);
    assert.deepEqual({ ...csrf }, {
      before40: false, useSessions: false, cookieDomain: null, sessionCookieDomain: null, trustedOrigins: [],
      headerName: 'HTTP_X_CSRFTOKEN', cookieName: 'csrftoken', cookieAge: 31_449_600, cookiePath: '/',
      cookieSecure: false, cookieHttpOnly: false, cookieSameSite: 'Lax',
    });
    assert.deepEqual(proxy, { useXForwardedHost: false, secureProxySslHeader: null, firstProxyValue: true });
    const custom = loadConfig({
      ...base, DJANGO_VERSION: '3.2', CSRF_TRUSTED_ORIGINS: '.example.com', CSRF_COOKIE_AGE: 'None', CSRF_COOKIE_SAMESITE: 'False',
      CSRF_USE_SESSIONS: 'true', USE_X_FORWARDED_HOST: '1', SECURE_PROXY_SSL_HEADER: 'HTTP_X_FORWARDED_PROTO,https',
    });
    assert.equal(custom.csrf.before40, true);
    assert.deepEqual(custom.csrf.trustedOrigins, ['.example.com']);
    assert.equal(custom.csrf.cookieAge, null);
    assert.equal(custom.csrf.cookieSameSite, false);
    assert.equal(custom.csrf.useSessions, true);
    assert.deepEqual(custom.proxy, { useXForwardedHost: true, secureProxySslHeader: { header: 'HTTP_X_FORWARDED_PROTO', value: 'https' }, firstProxyValue: false });
    assert.match(configError({ ...base, CSRF_TRUSTED_ORIGINS: 'example.com' }), /^CSRF_TRUSTED_ORIGINS "example.com" must start with a scheme/);
    assert.match(configError({ ...base, DJANGO_VERSION: '3.2', CSRF_TRUSTED_ORIGINS: 'https://example.com' }), /^CSRF_TRUSTED_ORIGINS .* must be a host/);
    assert.equal(loadConfig({ ...base, CSRF_COOKIE_SAMESITE: 'strict' }).csrf.cookieSameSite, 'Strict');
    assert.match(configError({ ...base, CSRF_COOKIE_SAMESITE: 'loose' }), /^CSRF_COOKIE_SAMESITE/);
    assert.match(configError({ ...base, CSRF_HEADER_NAME: 'X-CSRFToken' }), /^CSRF_HEADER_NAME/);
    assert.match(configError({ ...base, CSRF_USE_SESSIONS: 'yes' }), /^CSRF_USE_SESSIONS must be true or false/);
    assert.match(configError({ ...base, SECURE_PROXY_SSL_HEADER: 'https' }), /^SECURE_PROXY_SSL_HEADER/);
    assert.match(configError({ ...base, CSRF_COOKIE_NAME: 'a b' }), /^CSRF_COOKIE_NAME/);
  });
});
