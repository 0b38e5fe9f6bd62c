import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { sessionCacheKey, sessionCacheKeyPrefix } from '../../src/django/cache-key.ts';
import { decodeMemcachedValue, decodeRedisValue, type CachedSession } from '../../src/django/cache-value.ts';
import { createAuthenticate } from '../../src/stores/authenticate.ts';
import { cacheFirst } from '../../src/stores/cache-first-store.ts';
import { createCacheStore } from '../../src/stores/cache-store.ts';
import type { SessionCache } from '../../src/stores/session-cache.ts';
import type { SessionStore } from '../../src/stores/store.ts';
import { CACHE_VECTOR_FILES, loadCacheVectors, type CacheConfiguration, type CacheVectors } from '../../../../test/helpers/cache-vectors.ts';
import { toDjangoUser } from '../../../../test/helpers/vectors.ts';

const MAX = 1_048_576;
const PICKLE = { serializer: 'pickle', compressor: 'none' } as const;

function decode(config: CacheConfiguration, stored: { hex: string; flags: number | null }): CachedSession {
  const bytes = Buffer.from(stored.hex, 'hex');
  return config.server === 'memcached' ? decodeMemcachedValue(bytes, stored.flags ?? 0, MAX) : decodeRedisValue(bytes, config, MAX);
}

/** The exact bytes each case stored, behind the real cache and cached_db stores, with Django's users. */
function storeFor(vectors: CacheVectors, config: CacheConfiguration, engine: 'cache' | 'cached_db'): SessionStore {
  const entries = new Map(config.cases.filter((c) => c.stored !== null).map((c) => [c.cache_key, c.stored as { hex: string; flags: number | null }]));
  const cache: SessionCache = {
    read: async (key) => (entries.has(key) ? decode(config, entries.get(key) as { hex: string; flags: number | null }) : null),
    scan: () => null,
    close: async () => {},
  };
  const rows = new Map(config.cases.filter((c) => c.row !== null).map((c) => [c.session_key, c.row]));
  const users = new Map(vectors.users.map((user) => [BigInt(user.id), toDjangoUser(user)]));
  const db: SessionStore = {
    findSession: async (key) => {
      const row = rows.get(key);
      return row ? { sessionData: row.session_data, expireDate: new Date(row.expire_date) } : null;
    },
    findUser: async (id) => users.get(id) ?? null,
  };
  const keys = { keyPrefix: config.key_prefix, version: config.version };
  return engine === 'cache' ? createCacheStore({ cache, keys, users: db, timeoutMs: 1000 }) : cacheFirst({ cache, keys, db, timeoutMs: 1000 });
}

for (const file of CACHE_VECTOR_FILES) {
  const vectors = loadCacheVectors(file);
  describe(`cache vectors from Django ${vectors.django_version}: the stored bytes decode, and the verdict is Django's`, () => {
    const settings = {
      secretKey: vectors.secret_key,
      secretKeyFallbacks: [],
      authenticationBackends: vectors.authentication_backends,
      acceptLegacy: vectors.django_version.startsWith('3.'),
      sessionCookieAge: 1_209_600,
      maxSessionBytes: MAX,
    };
    for (const config of vectors.configurations) {
      for (const c of config.cases) {
        it(`${c.name}: ${c.description}`, async () => {
          assert.equal(sessionCacheKey(c.engine, c.session_key, { keyPrefix: config.key_prefix, version: config.version }), c.cache_key);
          if (c.stored !== null && c.expected.authenticated && !c.name.endsWith('garbage')) {
            const decoded = decode(config, c.stored);
            assert.ok(decoded.ok, decoded.ok ? '' : decoded.detail);
          }
          const store = storeFor(vectors, config, c.engine);
          const verdict = await createAuthenticate({ store, settings, engine: c.engine, now: () => new Date('2026-06-01T00:00:00Z') })(c.session_key);
          assert.equal(verdict.loggedIn, c.expected.authenticated, verdict.reason);
          assert.equal(verdict.user === null ? null : Number(verdict.user.id), c.expected.user_id);
        });
      }
    }
  });
}

describe('decodeRedisValue', () => {
  const vectors = loadCacheVectors('cache-django-3.2.json');
  const picklePlain = vectors.configurations.find((config) => config.name === 'django-redis-pickle-none') as CacheConfiguration;
  const loggedIn = Buffer.from(picklePlain.cases[0]?.stored?.hex ?? '', 'hex');

  it('decodes what django-redis pickled into plain values', () => {
    const decoded = decodeRedisValue(loggedIn, PICKLE, MAX);
    assert.ok(decoded.ok);
    assert.equal(decoded.session._auth_user_id, '101');
    assert.equal(decoded.session.text, 'données ✓ 日本');
    assert.equal(decoded.session.big, 2n ** 70n);
    assert.deepEqual(decoded.session.raw, Buffer.from([0, 255]));
    assert.equal(decoded.format, 'pickle');
  });

  it('reads an integer as Python\'s int() does, never as a session', () => {
    for (const digits of ['12345', ' -7\n', '1_000']) {
      assert.equal(decodeRedisValue(Buffer.from(digits), PICKLE, MAX).ok, false, digits);
      assert.deepEqual({ ...decodeRedisValue(Buffer.from(digits), PICKLE, MAX), detail: '' }, { ok: false, reason: 'not_object', detail: '' });
    }
  });

  it('falls back to the raw bytes when a zlib entry is not zlib, as django-redis does for short values', () => {
    const decoded = decodeRedisValue(loggedIn, { serializer: 'pickle', compressor: 'zlib' }, MAX);
    assert.ok(decoded.ok);
    assert.equal(decoded.format, 'pickle');
  });

  it('caps the inflated size at SESSION_MAX_BYTES (a zlib bomb is too_large, never allocated whole)', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const decoded = decodeRedisValue(bomb, { serializer: 'json', compressor: 'zlib' }, MAX);
    assert.equal(decoded.ok ? 'ok' : decoded.reason, 'too_large');
    assert.equal((decodeRedisValue(Buffer.alloc(MAX + 1), PICKLE, MAX) as { reason: string }).reason, 'too_large');
  });

  it('refuses JSON that is not UTF-8, and JSON that is not an object', () => {
    assert.equal((decodeRedisValue(Buffer.from([0x7b, 0xff, 0x7d]), { serializer: 'json', compressor: 'none' }, MAX) as { reason: string }).reason, 'bad_cache_value');
    assert.equal((decodeRedisValue(Buffer.from('[1, 2]'), { serializer: 'json', compressor: 'none' }, MAX) as { reason: string }).reason, 'not_object');
  });

  it('never runs a hostile pickle: os.system through REDUCE is unsupported_pickle', () => {
    // pickle.dumps of a class whose __reduce__ returns (os.system, ('touch /tmp/pwned',)), protocol 2.
    const hostile = Buffer.from('800263706f7369780a73797374656d0a71005810000000746f756368202f746d702f70776e656471018571025271032e', 'hex');
    assert.equal((decodeRedisValue(hostile, PICKLE, MAX) as { reason: string }).reason, 'unsupported_pickle');
    assert.equal((decodeMemcachedValue(hostile, 1, MAX) as { reason: string }).reason, 'unsupported_pickle');
  });

  it('keeps the string keys of a dict that also has other keys', () => {
    // pickle.dumps({1: 'one', '_auth_user_id': '5'}, 2)
    const mixed = Buffer.from('80027d7100284b0158030000006f6e657101580d0000005f617574685f757365725f696471025801000000357103752e', 'hex');
    const decoded = decodeRedisValue(mixed, PICKLE, MAX);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.detail);
    assert.deepEqual({ ...decoded.session }, { _auth_user_id: '5' });
  });
});

describe('decodeMemcachedValue', () => {
  const pickled = Buffer.from('80057d942e', 'hex'); // pickle.dumps({}, 5)
  it('unpickles only what pymemcache flagged as a pickle', () => {
    assert.ok(decodeMemcachedValue(pickled, 1, MAX).ok);
    assert.ok(decodeMemcachedValue(pickled, 1 | 8, MAX).ok, 'FLAG_COMPRESSED is never set by pymemcache and changes nothing');
    for (const flags of [0, 2, 4, 16, 16 | 1, 2 | 1]) assert.equal(decodeMemcachedValue(pickled, flags, MAX).ok, false, String(flags));
  });
});

describe('sessionCacheKey', () => {
  it('is KEY_PREFIX:VERSION:<engine prefix><session key>', () => {
    assert.equal(sessionCacheKey('cache', 'abc12345', { keyPrefix: '', version: 1 }), ':1:django.contrib.sessions.cacheabc12345');
    assert.equal(sessionCacheKey('cached_db', 'abc12345', { keyPrefix: 'site', version: 3 }), 'site:3:django.contrib.sessions.cached_dbabc12345');
    assert.equal(sessionCacheKeyPrefix('cache', { keyPrefix: 'p', version: 2 }), 'p:2:django.contrib.sessions.cache');
  });
});
