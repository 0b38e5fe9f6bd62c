import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFixture, type Fixture, type TestApp } from './helpers/app.ts';
import type { CacheServer } from './helpers/cache-server.ts';
import { cacheEnv, loadCacheVectors, type CacheCase, type CacheConfiguration } from './helpers/cache-vectors.ts';
import { insertSession } from './helpers/django.ts';
import { packagedSuite } from './helpers/packaged-suite.ts';
import { loadPythonJsonVectors, PYTHON_JSON_VECTOR_FILES } from './helpers/python-json-vectors.ts';
import { REDIS_MISSING, redisSet, startRedis } from './helpers/redis-server.ts';
import { replaceUsers } from './helpers/vectors.ts';

// auth_user.id is a 32-bit integer in Django's schema: the user past 2^53 exists only in the vectors' SQLite.
const INT4_MAX = 2 ** 31 - 1;

for (const file of PYTHON_JSON_VECTOR_FILES) {
  const vectors = loadPythonJsonVectors(file);
  const users = vectors.users.filter((user) => Number(user.id) <= INT4_MAX).map((user) => ({ ...user, id: Number(user.id) }));
  const cases = vectors.cases.filter((c) => c.session_data !== null && c.expected !== undefined && Number(c.expected.user_id ?? 0) <= INT4_MAX);

  describe(`json.loads sessions of Django ${vectors.django_version} over HTTP`, () => {
    let fixture: Fixture;
    let built: TestApp;
    before(async () => {
      fixture = await createFixture();
      await replaceUsers(fixture.django, users);
      built = fixture.app({ DJANGO_VERSION: vectors.django_version, DJANGO_SECRET_KEY: vectors.secret_key });
    });
    after(() => fixture.close());

    async function me(sessionData: string): Promise<{ loggedIn: boolean; user: { id: number } | null }> {
      const key = await insertSession(fixture.django, sessionData);
      return (await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${key}`).expect(200)).body;
    }

    it("a session holding float('inf') is logged in, as Django logs it in", async () => {
      const c = vectors.cases.find((item) => item.name === 'float_inf');
      assert.ok(c?.session_data && c.expected?.authenticated);
      const body = await me(c.session_data);
      assert.equal(body.loggedIn, true);
      assert.equal(body.user?.id, Number(c.expected.user_id));
    });

    it(`every one of the ${cases.length} decisions matches Django's`, async () => {
      assert.ok(cases.length >= 55, `${cases.length} cases`);
      for (const c of cases) {
        const body = await me(c.session_data as string);
        assert.equal(body.loggedIn, c.expected?.authenticated, c.name);
        assert.equal(body.user?.id ?? null, c.expected?.authenticated ? Number(c.expected.user_id) : null, c.name);
      }
    });
  });
}

// django-redis's JSONSerializer writes with DjangoJSONEncoder (allow_nan=True) and reads with json.loads:
// Django's own logged-in entry from the cache vectors, with an Infinity added beside the auth keys.
packagedSuite('a JSON cache value holding Infinity, over HTTP from a real Redis', REDIS_MISSING, () => {
  let fixture: Fixture;
  let redis: CacheServer;
  before(async () => {
    [fixture, redis] = await Promise.all([createFixture(), startRedis()]);
  });
  after(async () => {
    await fixture?.close();
    await redis?.stop();
  });

  it('is logged in, where JSON.parse called it bad_cache_value', async () => {
    const vectors = loadCacheVectors('cache-django-3.2.json');
    const config = vectors.configurations.find((each) => each.serializer === 'json' && each.compressor === 'none') as CacheConfiguration;
    const c = config.cases.find((each) => each.name.endsWith('/cache/logged_in')) as CacheCase;
    assert.ok(c.expected.authenticated);
    const stored = Buffer.from(c.stored?.hex ?? '', 'hex').toString('utf8');
    assert.ok(stored.endsWith('}'));
    await replaceUsers(fixture.django, vectors.users);
    await redisSet(redis.url, { [c.cache_key]: Buffer.from(`${stored.slice(0, -1)}, "score": Infinity, "ratios": [NaN, -Infinity]}`, 'utf8') });
    const built = fixture.app(cacheEnv(vectors, config, 'cache', redis.url));
    const body = (await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${c.session_key}`).expect(200)).body;
    assert.equal(body.loggedIn, true);
    assert.equal(body.user?.id, c.expected.user_id);
  });
});
