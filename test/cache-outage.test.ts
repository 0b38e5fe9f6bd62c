import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import { sessionCacheKey } from 'django-session-bridge/django';
import { createFixture, SECRET_KEY, type Fixture, type TestApp } from './helpers/app.ts';
import type { CacheServer } from './helpers/cache-server.ts';
import { insertUser, loginSession, newSessionKey, pickleSession, userPassword } from './helpers/django.ts';
import { listen, type Listening } from './helpers/listen.ts';
import { MEMCACHED_MISSING, memcachedSet, startMemcached } from './helpers/memcached-server.ts';
import { packagedSuite } from './helpers/packaged-suite.ts';
import { REDIS_MISSING, redisSet, startRedis } from './helpers/redis-server.ts';
import { assertHealthy as healthy, assertNeverWrong, assertUnavailable, DB_TIMEOUT_MS, probe, summary, traffic, VISITORS } from './helpers/traffic.ts';


const SERVERS = {
  redis: { missing: REDIS_MISSING, start: startRedis, put: (server: CacheServer, key: string, value: Buffer) => redisSet(server.url, { [key]: value }) },
  memcached: { missing: MEMCACHED_MISSING, start: startMemcached, put: (server: CacheServer, key: string, value: Buffer) => memcachedSet(server.port, { [key]: { value, flags: 1 } }) },
};

for (const [name, kind] of Object.entries(SERVERS)) {
  packagedSuite(`a ${name} outage with the cache engine: 503 within DB_TIMEOUT_MS, never a wrong verdict, recovery without a restart`, kind.missing, () => {
    let fixture: Fixture;
    let cache: CacheServer;
    let built: TestApp;
    let http: Listening;
    const aliceKey = newSessionKey();
    let entry: Buffer;
    const store = () => kind.put(cache, sessionCacheKey('cache', aliceKey, { keyPrefix: '', version: 1 }), entry);

    before(async () => {
      [fixture, cache] = await Promise.all([createFixture(), kind.start()]);
      const alice = await insertUser(fixture.django, { username: 'alice' });
      entry = pickleSession(loginSession(alice, await userPassword(fixture.django, alice), SECRET_KEY));
      await store();
      built = fixture.app({ DB_TIMEOUT_MS: String(DB_TIMEOUT_MS), DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: cache.url });
      http = await listen(built.app);
      // Warm: the first queries compile Prisma's and pg's statements, which a crowded machine can take past
      // DB_TIMEOUT_MS over; what is measured here is the outage, not a cold start.
      for (const started = performance.now(); (await probe(http.url, '/elixir/healthz', aliceKey)).status !== 200; ) {
        assert.ok(performance.now() - started < 15_000, 'healthy within 15 s of starting');
      }
    });
    after(async () => {
      cache?.thaw();
      await http?.close();
      await fixture?.close();
      await cache?.stop();
    });

    const assertHealthy = () => healthy(http.url, aliceKey);

    it('answers from the cache while it is up', async () => {
      await assertHealthy();
    });

    it(`${name} stops mid-traffic: 503 pages, JSON and healthz, never "Not Logged In", never a hang`, async () => {
      const load = traffic(http.url, aliceKey, VISITORS);
      await sleep(500);
      const stopping = performance.now();
      await cache.stop();
      const stopped = performance.now();
      await sleep(1500);
      const samples = await load.stop();
      console.log(`# ${name} stop: ${summary(samples)}`);
      assertNeverWrong(samples);
      const during = samples.filter((sample) => sample.startedAt > stopped);
      assert.ok(samples.some((sample) => sample.startedAt + sample.ms < stopping && sample.status === 200), 'traffic before the stop');
      assert.ok(during.length >= VISITORS, `traffic after the stop (${during.length})`);
      for (const sample of during) assertUnavailable(sample);
      const metrics = await (await fetch(`${http.url}/elixir/metrics`)).text();
      assert.match(metrics, /^bridge_cache_errors_total [1-9]\d*$/m);
    });

    it(`${name} comes back on the same port: logged in again without a restart`, async () => {
      await cache.restart();
      // A restarted cache is empty: Django's next response would write the session again.
      await store();
      const started = performance.now();
      for (;;) {
        const sample = await probe(http.url, '/elixir/api/me', aliceKey);
        if (sample.status === 200) break;
        assertUnavailable(sample);
        assert.ok(performance.now() - started < 5000, 'recovered within 5 s');
        await sleep(50);
      }
      console.log(`# ${name} restart: logged in again ${Math.round(performance.now() - started)} ms after it was ready`);
      await assertHealthy();
    });

    it(`${name} hangs (SIGSTOP): each request a 503 within the timeout, then it recovers`, async () => {
      const load = traffic(http.url, aliceKey, VISITORS);
      await sleep(300);
      cache.freeze();
      const froze = performance.now();
      await sleep(DB_TIMEOUT_MS * 2.5);
      const samples = await load.stop();
      cache.thaw();
      console.log(`# ${name} freeze: ${summary(samples)}`);
      assertNeverWrong(samples);
      const during = samples.filter((sample) => sample.startedAt > froze + 100);
      assert.ok(during.length >= VISITORS, `traffic while frozen (${during.length})`);
      for (const sample of during) assertUnavailable(sample);
      const started = performance.now();
      while ((await probe(http.url, '/elixir/api/me', aliceKey)).status !== 200) {
        assert.ok(performance.now() - started < 5000, 'recovered within 5 s');
        await sleep(50);
      }
      await assertHealthy();
    });
  });
}
