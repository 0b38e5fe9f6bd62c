import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import request from 'supertest';
import { createFixture, type Fixture } from './helpers/app.ts';
import type { CacheServer } from './helpers/cache-server.ts';
import { atLeast } from './helpers/at-least.ts';
import { CACHE_VECTOR_FILES, cacheEnv, loadCacheVectors, type CacheCase, type CacheConfiguration } from './helpers/cache-vectors.ts';
import { insertSession } from './helpers/django.ts';
import { replaceUsers } from './helpers/vectors.ts';
import { MEMCACHED_MISSING, memcachedSet, startMemcached } from './helpers/memcached-server.ts';
import { packagedSuite } from './helpers/packaged-suite.ts';
import { REDIS_MISSING, redisSet, startRedis } from './helpers/redis-server.ts';

// Every cache session Django judged, its bytes replayed into a real Redis or memcached (and cached_db's
// row into PostgreSQL), decided over HTTP by the service configured like that Django's cache.
packagedSuite('cache vectors over HTTP, replayed into real Redis and memcached', [...REDIS_MISSING, ...MEMCACHED_MISSING], () => {
  let fixture: Fixture;
  let redis: CacheServer;
  let memcached: CacheServer;
  before(async () => {
    [fixture, redis, memcached] = await Promise.all([createFixture(), startRedis(), startMemcached()]);
  });
  after(async () => {
    await fixture?.close();
    await Promise.all([redis?.stop(), memcached?.stop()]);
  });

  it('the decision cache (SESSION_CACHE_TTL_MS) works on top of the cache engine', async () => {
    const vectors = loadCacheVectors('cache-django-5.2.json');
    const config = vectors.configurations[0] as CacheConfiguration;
    const c = config.cases.find((each) => each.name.endsWith('/cache/logged_in')) as CacheCase;
    await replaceUsers(fixture.django, vectors.users);
    await redisSet(redis.url, { [c.cache_key]: Buffer.from(c.stored?.hex ?? '', 'hex') });
    const built = fixture.app({ ...cacheEnv(vectors, config, 'cache', redis.url), SESSION_CACHE_TTL_MS: '60000' });
    const me = () => request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${c.session_key}`);
    assert.equal((await me()).body.loggedIn, true);
    await redis.stop();
    assert.equal((await me()).body.loggedIn, true, 'answered from the decision cache while Redis is away');
    await redis.restart();
    assert.equal(built.counters.snapshot().verdicts.logged_in, 2);
  });

  for (const file of CACHE_VECTOR_FILES) {
    const vectors = loadCacheVectors(file);
    for (const config of vectors.configurations) {
      it(`Django ${vectors.django_version}, ${config.backend} (${config.name}): every verdict is Django's`, async () => {
        const { django } = fixture;
        await django.query('DELETE FROM django_session');
        await replaceUsers(django, vectors.users);
        const stored = atLeast(10, config.cases.filter((c) => c.stored !== null), `stored entries of ${config.name}`);
        const entries = Object.fromEntries(stored.map((c) => [c.cache_key, { value: Buffer.from(c.stored?.hex ?? '', 'hex'), flags: c.stored?.flags ?? 0 }]));
        if (config.server === 'redis') await redisSet(redis.url, Object.fromEntries(Object.entries(entries).map(([key, { value }]) => [key, value])));
        else await memcachedSet(memcached.port, entries);
        for (const c of config.cases) {
          if (c.row !== null && !(await django.query('SELECT 1 FROM django_session WHERE session_key = $1', [c.session_key])).rowCount) {
            await insertSession(django, c.row.session_data, new Date(c.row.expire_date), c.session_key);
          }
        }
        const server = config.server === 'redis' ? redis : memcached;
        for (const engine of ['cache', 'cached_db'] as const) {
          const built = fixture.app(cacheEnv(vectors, config, engine, server.url));
          for (const c of atLeast(4, config.cases.filter((each) => each.engine === engine), `${engine} cases of ${config.name}`)) {
            const response = await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${c.session_key}`);
            assert.equal(response.status, 200, c.name);
            assert.equal(response.body.loggedIn, c.expected.authenticated, c.name);
            assert.equal(response.body.user?.id ?? null, c.expected.user_id, c.name);
          }
        }
      });
    }
  }
});
