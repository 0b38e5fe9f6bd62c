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
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'django.contrib.sessions.backends.cache' }), /pickled/);
    assert.match(configError({ ...base, DJANGO_SESSION_ENGINE: 'file' }), /not supported/);
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'cached_db' }).sessionEngine, 'cached_db');
    assert.equal(loadConfig({ ...base, DJANGO_SESSION_ENGINE: 'django.contrib.sessions.backends.signed_cookies' }).sessionEngine, 'signed_cookies');
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
});
