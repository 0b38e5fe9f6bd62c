import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { anonymous, type DjangoUser, type Verdict } from 'django-session-bridge/django';
import type { Authenticate } from 'django-session-bridge';
import { cacheDecisions } from 'django-session-bridge';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from '../helpers/django.ts';

const ALICE: DjangoUser = {
  id: 1n,
  password: 'pbkdf2_sha256$260000$salt$hash',
  isActive: true,
  username: 'alice',
  firstName: '',
  lastName: '',
  email: '',
  isStaff: false,
  isSuperuser: false,
};
const LOGGED_IN: Verdict = { loggedIn: true, reason: 'logged_in', user: ALICE };

/** An Authenticate whose lookups the test settles by hand, counting how often it is asked. */
function controlledLookups() {
  const pending: { cookie: string | undefined; resolve(verdict: Verdict): void; reject(error: Error): void }[] = [];
  const calls: (string | undefined)[] = [];
  const authenticate: Authenticate = (cookie) => {
    calls.push(cookie);
    return new Promise((resolve, reject) => pending.push({ cookie, resolve, reject }));
  };
  return { authenticate, calls, pending };
}

/** An Authenticate that answers at once, counting how often it is asked. */
function countingLookups(verdict: (cookie: string | undefined) => Verdict = () => LOGGED_IN) {
  const calls: (string | undefined)[] = [];
  const authenticate: Authenticate = async (cookie) => {
    calls.push(cookie);
    return verdict(cookie);
  };
  return { authenticate, calls };
}

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('decision cache', () => {
  it('reuses a verdict within the TTL and asks again after it', async () => {
    const clock = fakeClock();
    const inner = countingLookups();
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10, now: clock.now });
    assert.equal(await cached('key1'), LOGGED_IN);
    clock.advance(999);
    assert.equal(await cached('key1'), LOGGED_IN);
    clock.advance(1);
    await cached('key1');
    assert.equal(inner.calls.length, 1, 'still fresh exactly at the TTL');
    clock.advance(1);
    await cached('key1');
    assert.equal(inner.calls.length, 2, 'asked again once the TTL has passed');
  });

  it('counts the TTL from the moment the lookup finished', async () => {
    const clock = fakeClock();
    const inner = controlledLookups();
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10, now: clock.now });
    const first = cached('key1');
    clock.advance(500);
    inner.pending[0]?.resolve(LOGGED_IN);
    await first;
    clock.advance(1000);
    await cached('key1');
    assert.equal(inner.calls.length, 1);
  });

  it('keeps one entry per cookie', async () => {
    const inner = countingLookups((cookie) => (cookie === 'alice' ? LOGGED_IN : anonymous('no_row')));
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10 });
    assert.equal((await cached('alice')).loggedIn, true);
    assert.equal((await cached('bob')).reason, 'no_row');
    assert.equal((await cached('alice')).loggedIn, true);
    assert.deepEqual(inner.calls, ['alice', 'bob']);
  });

  it('shares one lookup among concurrent requests with the same cookie', async () => {
    const inner = controlledLookups();
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10 });
    const waiting = Array.from({ length: 32 }, () => cached('key1'));
    const other = cached('key2');
    assert.deepEqual(inner.calls, ['key1', 'key2']);
    inner.pending[0]?.resolve(LOGGED_IN);
    inner.pending[1]?.resolve(anonymous('no_row'));
    for (const verdict of await Promise.all(waiting)) assert.equal(verdict, LOGGED_IN);
    assert.equal((await other).reason, 'no_row');
  });

  it('shares the lookup that refreshes an expired entry', async () => {
    const clock = fakeClock();
    const inner = controlledLookups();
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10, now: clock.now });
    const first = cached('key1');
    inner.pending[0]?.resolve(LOGGED_IN);
    await first;
    clock.advance(1001);
    const refreshing = Array.from({ length: 32 }, () => cached('key1'));
    assert.equal(inner.calls.length, 2);
    inner.pending[1]?.resolve(anonymous('no_row'));
    for (const verdict of await Promise.all(refreshing)) assert.equal(verdict.reason, 'no_row');
  });

  it('never caches a failed lookup: everyone waiting on it fails, the next request asks again', async () => {
    const inner = controlledLookups();
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10 });
    const waiting = Array.from({ length: 3 }, () => cached('key1'));
    const outage = new Error('connection refused');
    inner.pending[0]?.reject(outage);
    for (const result of await Promise.allSettled(waiting)) assert.deepEqual(result, { status: 'rejected', reason: outage });
    const retry = cached('key1');
    assert.equal(inner.calls.length, 2);
    inner.pending[1]?.resolve(LOGGED_IN);
    assert.equal(await retry, LOGGED_IN);
    assert.equal(await cached('key1'), LOGGED_IN);
    assert.equal(inner.calls.length, 2);
  });

  it('holds at most max cookies, dropping the least recently used', async () => {
    const inner = countingLookups();
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 60_000, max: 2 });
    await cached('a');
    await cached('b');
    await cached('a');
    await cached('c');
    assert.deepEqual(inner.calls, ['a', 'b', 'c']);
    await cached('a');
    await cached('b');
    assert.deepEqual(inner.calls, ['a', 'b', 'c', 'b'], '"b" was the least recently used when "c" came');
  });

  it('passes requests without a cookie straight through', async () => {
    const inner = countingLookups(() => anonymous('no_cookie'));
    const cached = cacheDecisions(inner.authenticate, { ttlMs: 1000, max: 10 });
    await cached(undefined);
    await cached(undefined);
    await cached('');
    assert.deepEqual(inner.calls, [undefined, undefined, '']);
  });
});

describe('decision cache in the service, against Django\'s tables', () => {
  let fixture: Fixture;
  let aliceKey: string;

  before(async () => {
    fixture = await createFixture();
    const alice = await insertUser(fixture.django, { username: 'alice' });
    const session = loginSession(alice, await userPassword(fixture.django, alice), SECRET_KEY);
    aliceKey = await insertSession(fixture.django, encodeSession(session, SECRET_KEY));
  });
  after(() => fixture.close());

  function countQueries(pool: { query: (...args: never[]) => unknown }): { count: number } {
    const counter = { count: 0 };
    const query = pool.query.bind(pool);
    pool.query = ((...args: never[]) => {
      counter.count += 1;
      return query(...args);
    }) as typeof pool.query;
    return counter;
  }

  it('is off by default: every request looks the session up', async () => {
    const built = fixture.app();
    const queries = countQueries(built.db.pool);
    for (let i = 0; i < 3; i += 1) {
      await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    }
    assert.equal(queries.count, 9, "a session and a user lookup per request, and /api/me's permission query");
  });

  it('with SESSION_CACHE_TTL_MS, repeats within the TTL do not reach the database', async () => {
    const built = fixture.app({ SESSION_CACHE_TTL_MS: '60000' });
    const queries = countQueries(built.db.pool);
    for (let i = 0; i < 3; i += 1) {
      const res = await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(200);
      assert.equal(res.body.loggedIn, true);
    }
    assert.equal(queries.count, 2 + 3, 'the two lookups once; the permission query on every request (never cached)');
  });

  it('shows a log-out in Django only once the TTL has passed (the documented staleness)', async () => {
    const { django } = fixture;
    const alice = await insertUser(django, { username: 'alice2' });
    const key = await insertSession(django, encodeSession(loginSession(alice, await userPassword(django, alice), SECRET_KEY), SECRET_KEY));
    const { app } = fixture.app({ SESSION_CACHE_TTL_MS: '300' });
    const me = async () => (await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${key}`).expect(200)).body.loggedIn;
    assert.equal(await me(), true);
    // Django's logout() flushes the session: the row is deleted.
    await django.query('DELETE FROM django_session WHERE session_key = $1', [key]);
    assert.equal(await me(), true, 'still the cached verdict within the TTL');
    await sleep(350);
    assert.equal(await me(), false);
  });
});
