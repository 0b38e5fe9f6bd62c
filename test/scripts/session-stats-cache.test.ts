import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { main as stats } from '../../scripts/session-stats.ts';
import { sessionCacheKey } from 'django-session-bridge/django';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import type { CacheServer } from '../helpers/cache-server.ts';
import { insertUser, loginSession, newSessionKey, pickleSession, userPassword } from '../helpers/django.ts';
import { MEMCACHED_MISSING, startMemcached } from '../helpers/memcached-server.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { REDIS_MISSING, redisSet, startRedis } from '../helpers/redis-server.ts';
import { captureOutput } from '../helpers/tool-output.ts';

packagedSuite('session:stats with the cache engine: SCAN by prefix in Redis; memcached cannot list', [...REDIS_MISSING, ...MEMCACHED_MISSING], () => {
  let fixture: Fixture;
  let redis: CacheServer;
  let memcached: CacheServer;
  // A KEY_PREFIX with glob metacharacters: SCAN's MATCH must take it literally.
  const keys = { keyPrefix: 'site*[1]', version: 2 };
  const env = () => ({
    DATABASE_URL: fixture.database.url,
    DJANGO_SECRET_KEY: SECRET_KEY,
    DJANGO_SESSION_ENGINE: 'cache',
    DJANGO_CACHE_URL: redis.url,
    DJANGO_CACHE_KEY_PREFIX: keys.keyPrefix,
    DJANGO_CACHE_VERSION: String(keys.version),
  });

  before(async () => {
    [fixture, redis, memcached] = await Promise.all([createFixture(), startRedis(), startMemcached()]);
    const alice = await insertUser(fixture.django, { username: 'alice' });
    const login = pickleSession(loginSession(alice, await userPassword(fixture.django, alice), SECRET_KEY));
    const entries: Record<string, Buffer> = {};
    const add = (count: number, value: Buffer) => {
      for (let i = 0; i < count; i++) entries[sessionCacheKey('cache', newSessionKey(), keys)] = value;
    };
    add(30, login);
    add(12, pickleSession({ _language: 'fr' }));
    add(5, Buffer.from('not a pickle'));
    add(3, pickleSession(loginSession(alice, 'pbkdf2_sha256$1$old$old=', SECRET_KEY)));
    // Not sessions of this site: another prefix, another version, cached_db's keys, anything else.
    entries[sessionCacheKey('cache', newSessionKey(), { keyPrefix: 'site1', version: 2 })] = login;
    entries[sessionCacheKey('cache', newSessionKey(), { keyPrefix: keys.keyPrefix, version: 3 })] = login;
    entries[sessionCacheKey('cached_db', newSessionKey(), keys)] = login;
    entries['site*[1]:2:views.decorators.cache.cache_page'] = Buffer.from('x');
    await redisSet(redis.url, entries);
  });
  after(async () => {
    await fixture?.close();
    await Promise.all([redis?.stop(), memcached?.stop()]);
  });

  it('counts every session entry under the engine\'s prefix, in batches, and nothing else', async () => {
    const out = captureOutput();
    assert.equal(await stats(['--json', '--batch-size', '7'], env(), out), 0, out.err());
    const report = JSON.parse(out.out());
    assert.equal(report.sessions, 50);
    assert.equal(report.expired, null);
    assert.deepEqual(
      Object.fromEntries(Object.entries(report.reasons).filter(([, count]) => (count as number) > 0)),
      { logged_in: 30, anonymous: 12, bad_cache_value: 5, hash_mismatch: 3 },
    );
    assert.ok(report.scan.batches >= 2, `several SCAN batches (${report.scan.batches})`);
  });

  it('says in one line that memcached cannot be counted', async () => {
    const out = captureOutput();
    assert.equal(await stats([], { ...env(), DJANGO_CACHE_URL: memcached.url }, out), 2);
    assert.match(out.err().split('\n')[0] ?? '', /^session:stats: memcached cannot list its keys/);
  });
});
