import { tablesFromPrisma } from 'django-session-bridge/prisma';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { createDatabase, type Database } from '../../src/db.ts';
import type { Verdict } from 'django-session-bridge/django';
import { createAuthenticate, type Authenticate } from 'django-session-bridge';
import { routeReads, type ReadSource } from 'django-session-bridge';
import { openReplicaFromConfig } from '../../src/sessions/replica.ts';
import { createSqlStore } from 'django-session-bridge';
import { createFixture, SECRET_KEY, testConfig, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, newSessionKey } from '../helpers/django.ts';

// Long enough for a real answer on a crowded CI machine, short enough to wait out in the hang test.
const REPLICA_TIMEOUT_MS = 1000;
const OLD_PASSWORD = 'pbkdf2_sha256$260000$old$hash=';
const NEW_PASSWORD = 'pbkdf2_sha256$260000$new$hash=';
const FUTURE = new Date(Date.now() + 3600_000);
const PAST = new Date(Date.now() - 3600_000);

/**
 * Two real databases standing for a replica and its primary: the "replica" holds what a lagging one would
 * (an older password, no row yet, an expire_date before Django pushed it back), the primary the present.
 */
describe('replica routing: the replica decides unless lag could explain its verdict', () => {
  let replicaSide: Fixture;
  let primarySide: Fixture;
  const opened: Database[] = [];
  const settings = testConfig('postgresql://unused@127.0.0.1/none').django;

  function authenticateOn(url: string, timeoutMs = 2000): Authenticate {
    const db = createDatabase({ url, poolMax: 2, timeoutMs, onIdleError: () => {} });
    opened.push(db);
    return createAuthenticate({ store: createSqlStore(db.pool, tablesFromPrisma(db.prisma)), settings, engine: 'db' });
  }

  let replica: Authenticate;
  let primary: Authenticate;
  let down: Authenticate;

  function route(from: Authenticate, to: Authenticate, useReplica = true): { authenticate: Authenticate; sources: ReadSource[] } {
    const sources: ReadSource[] = [];
    return { authenticate: routeReads({ replica: from, primary: to, replicaTimeoutMs: REPLICA_TIMEOUT_MS, useReplica: () => useReplica, onAnswer: (source) => sources.push(source) }), sources };
  }

  /** The same user id on both sides, with each side's own password and is_active. */
  async function user(name: string, replicaFields: { password: string; isActive?: boolean }, primaryFields: { password: string; isActive?: boolean }): Promise<number> {
    const onReplica = await insertUser(replicaSide.django, { username: name, ...replicaFields });
    const onPrimary = await insertUser(primarySide.django, { username: name, ...primaryFields });
    assert.equal(onReplica, onPrimary, 'both sides give the user the same id');
    return onPrimary;
  }

  function loggedIn(id: number, password: string): string {
    return encodeSession(loginSession(id, password, SECRET_KEY), SECRET_KEY);
  }

  async function session(replicaRow: { data: string; expire: Date } | null, primaryRow: { data: string; expire: Date } | null): Promise<string> {
    const key = newSessionKey();
    if (replicaRow) await insertSession(replicaSide.django, replicaRow.data, replicaRow.expire, key);
    if (primaryRow) await insertSession(primarySide.django, primaryRow.data, primaryRow.expire, key);
    return key;
  }

  before(async () => {
    [replicaSide, primarySide] = await Promise.all([createFixture(), createFixture()]);
    replica = authenticateOn(replicaSide.database.url);
    primary = authenticateOn(primarySide.database.url);
    down = authenticateOn('postgresql://postgres@127.0.0.1:1/none', 200);
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await Promise.all([replicaSide?.close(), primarySide?.close()]);
  });

  async function expectFallback(key: string, replicaReason: Verdict['reason']): Promise<void> {
    assert.equal((await replica(key)).reason, replicaReason, 'what the replica alone says');
    const { authenticate, sources } = route(replica, primary);
    const verdict = await authenticate(key);
    assert.equal(verdict.reason, 'logged_in');
    assert.deepEqual(sources, ['fallback']);
    await assert.rejects(route(replica, down).authenticate(key), 'a primary that does not answer is an error (503), not the replica\'s verdict');
  }

  it('no row yet (a log-in the replica has not replayed): the primary logs the visitor in', async () => {
    const id = await user('nora', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    await expectFallback(await session(null, { data: loggedIn(id, OLD_PASSWORD), expire: FUTURE }), 'no_row');
  });

  it('expired on the replica, pushed back on the primary (Django extends expire_date on save)', async () => {
    const id = await user('eve', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    const data = loggedIn(id, OLD_PASSWORD);
    await expectFallback(await session({ data, expire: PAST }, { data, expire: FUTURE }), 'expired');
  });

  it('no user yet on the replica', async () => {
    const id = await user('uma', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    await replicaSide.django.query('DELETE FROM auth_user WHERE id = $1', [id]);
    const data = loggedIn(id, OLD_PASSWORD);
    await expectFallback(await session({ data, expire: FUTURE }, { data, expire: FUTURE }), 'no_user');
  });

  it('inactive on the replica, reactivated on the primary', async () => {
    const id = await user('ida', { password: OLD_PASSWORD, isActive: false }, { password: OLD_PASSWORD, isActive: true });
    const data = loggedIn(id, OLD_PASSWORD);
    await expectFallback(await session({ data, expire: FUTURE }, { data, expire: FUTURE }), 'inactive');
  });

  it('the session\'s hash is the new password\'s, the replica still has the old password', async () => {
    const id = await user('pat', { password: OLD_PASSWORD }, { password: NEW_PASSWORD });
    const data = loggedIn(id, NEW_PASSWORD);
    await expectFallback(await session({ data, expire: FUTURE }, { data, expire: FUTURE }), 'hash_mismatch');
  });

  it('verdicts lag cannot explain are the replica\'s: the primary is not asked', async () => {
    const id = await user('liz', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    const cases: [string, Verdict['reason']][] = [
      [await session({ data: loggedIn(id, OLD_PASSWORD), expire: FUTURE }, null), 'logged_in'],
      [await session({ data: encodeSession({ visits: 1 }, SECRET_KEY), expire: FUTURE }, null), 'anonymous'],
      [await session({ data: encodeSession(loginSession(id, OLD_PASSWORD, SECRET_KEY), 'another-key'), expire: FUTURE }, null), 'bad_signature'],
      ['short', 'malformed_key'],
    ];
    for (const [key, reason] of cases) {
      const { authenticate, sources } = route(replica, down);
      assert.equal((await authenticate(key)).reason, reason);
      assert.deepEqual(sources, ['replica'], reason);
    }
  });

  it('a replica that fails: the primary decides', async () => {
    const id = await user('fay', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    const key = await session(null, { data: loggedIn(id, OLD_PASSWORD), expire: FUTURE });
    const { authenticate, sources } = route(down, primary);
    assert.equal((await authenticate(key)).reason, 'logged_in');
    assert.deepEqual(sources, ['fallback']);
  });

  it('a replica that hangs: the primary decides once the replica\'s share of the deadline is spent', async () => {
    const id = await user('hal', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    const data = loggedIn(id, OLD_PASSWORD);
    const key = await session({ data, expire: FUTURE }, { data, expire: FUTURE });
    const locker = new pg.Client({ connectionString: replicaSide.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE');
      const { authenticate, sources } = route(replica, primary);
      const started = performance.now();
      assert.equal((await authenticate(key)).reason, 'logged_in');
      const ms = performance.now() - started;
      assert.deepEqual(sources, ['fallback']);
      assert.ok(ms >= REPLICA_TIMEOUT_MS * 0.9, `waited ${Math.round(ms)} ms for the replica`);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('a replica ruled out (down, or over the lag bound): the primary is asked directly', async () => {
    const id = await user('ray', { password: OLD_PASSWORD }, { password: OLD_PASSWORD });
    const key = await session({ data: loggedIn(id, OLD_PASSWORD), expire: FUTURE }, null);
    const { authenticate, sources } = route(replica, primary, false);
    assert.equal((await authenticate(key)).reason, 'no_row', 'the primary\'s verdict, not the replica\'s');
    assert.deepEqual(sources, ['primary']);
  });

  it('no cookie: no lookup, no source counted', async () => {
    const { authenticate, sources } = route(down, down);
    assert.equal((await authenticate(undefined)).reason, 'no_cookie');
    assert.deepEqual(sources, []);
  });

  it('without DATABASE_REPLICA_URL the metrics are as before: no source or replica lines', async () => {
    const { app } = primarySide.app();
    const text = (await request(app.callback()).get('/elixir/metrics').expect(200)).text;
    assert.doesNotMatch(text, /bridge_verdicts_by_source_total|bridge_replica_/);
  });
});

describe('openReplica: the lag watch polls on a connection of its own', () => {
  let replicaSide: Fixture;
  before(async () => {
    replicaSide = await createFixture();
  });
  after(() => replicaSide?.close());

  it('a replica whose pool the pages have used up is still polled, and still used', async () => {
    // DB_TIMEOUT_MS 600: the replica's share, and so its pool's wait for a connection, is 200 ms.
    const config = testConfig('postgresql://unused@127.0.0.1/none', { DATABASE_REPLICA_URL: replicaSide.database.url, DB_POOL_MAX: '1', DB_TIMEOUT_MS: '600' });
    const replica = openReplicaFromConfig(config, { onIdleError: () => {} })!;
    const held = await replica.db.pool.connect();
    try {
      await assert.rejects(replica.db.pool.query('SELECT 1'), /timeout/i, 'the pages\' pool is used up');
      // Two polls' time: each would have waited for the pages' one connection and timed out.
      await sleep(2200);
      assert.deepEqual(replica.state(), { up: true, standby: false, lagMs: null });
      assert.equal(replica.usable(), true);
    } finally {
      held.release();
      await replica.close();
    }
  });
});
