import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/dev/embedded-postgres.ts';
import { buildApp, SECRET_KEY, testConfig, type TestApp } from './helpers/app.ts';
import { createDjangoDatabase, databaseUrl } from './helpers/database.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';
import { listen, type Listening } from './helpers/listen.ts';
import { freeze, thaw } from './helpers/postgres-process.ts';
import { ANSWER_WITHIN_MS, assertHealthy as healthy, assertNeverWrong, assertUnavailable, DB_TIMEOUT_MS, PATHS, probe, summary, traffic, VISITORS } from './helpers/traffic.ts';

describe('a database outage, with a PostgreSQL this test starts, stops and restarts', () => {
  let server: EmbeddedServer;
  let built: TestApp;
  let http: Listening;
  let aliceKey: string;
  let frozen: number[] = [];

  before(async () => {
    server = await startEmbeddedPostgres();
    await createDjangoDatabase(server.adminUrl, 'django');
    const url = databaseUrl(server.adminUrl, 'django');
    const django = new pg.Client({ connectionString: url });
    await django.connect();
    const alice = await insertUser(django, { username: 'alice' });
    aliceKey = await insertSession(django, encodeSession(loginSession(alice, await userPassword(django, alice), SECRET_KEY), SECRET_KEY));
    await django.end();
    built = buildApp(testConfig(url, { DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) }));
    http = await listen(built.app);
  });

  after(async () => {
    thaw(frozen);
    await http?.close();
    await built?.close();
    await server?.destroy();
  });

  const assertHealthy = () => healthy(http.url, aliceKey);

  it('answers normally while PostgreSQL is up', async () => {
    await assertHealthy();
  });

  it('PostgreSQL stops mid-traffic: 503 pages and JSON, healthz 503, never "logged in", never a hang', async () => {
    const load = traffic(http.url, aliceKey, VISITORS);
    await sleep(600);
    const stopping = performance.now();
    await server.stop();
    const stopped = performance.now();
    await sleep(1500);
    const samples = await load.stop();
    console.log(`# stop: ${summary(samples)}`);

    assertNeverWrong(samples);
    const before = samples.filter((sample) => sample.startedAt + sample.ms < stopping);
    const during = samples.filter((sample) => sample.startedAt > stopped);
    assert.ok(before.length >= VISITORS, `traffic before the stop (${before.length})`);
    assert.ok(during.length >= VISITORS, `traffic after the stop (${during.length})`);
    for (const sample of before) assert.equal(sample.status, 200);
    for (const sample of during) assertUnavailable(sample);
    const metrics = await (await fetch(`${http.url}/elixir/metrics`)).text();
    assert.match(metrics, /^bridge_database_errors_total [1-9]\d*$/m);
  });

  it('PostgreSQL comes back on the same port: the service recovers by itself', async () => {
    await server.start();
    const started = performance.now();
    await assertHealthy();
    console.log(`# restart: healthy again ${Math.round(performance.now() - started)} ms after PostgreSQL was ready`);
  });

  it('PostgreSQL hangs (every process stopped): each request is a 503 within the timeout, then it recovers', async () => {
    const load = traffic(http.url, aliceKey, VISITORS);
    await sleep(300);
    frozen = freeze(server.dataDir);
    const froze = performance.now();
    await sleep(DB_TIMEOUT_MS * 3);
    const samples = await load.stop();
    thaw(frozen);
    frozen = [];
    console.log(`# freeze: ${summary(samples)}`);

    assertNeverWrong(samples);
    const during = samples.filter((sample) => sample.startedAt > froze);
    assert.ok(during.length >= VISITORS, `traffic while frozen (${during.length})`);
    for (const sample of during) assertUnavailable(sample);
    await assertHealthy();
  });

  it('a lock holds the session table: pages and healthz 503 within the timeout, logged in once released', async () => {
    const locker = new pg.Client({ connectionString: databaseUrl(server.adminUrl, 'django') });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE');
      // The database answers SELECT 1 all along; healthz goes the pages' way, so it fails with them.
      for (const sample of await Promise.all(PATHS.map((path) => probe(http.url, path, aliceKey)))) {
        assertUnavailable(sample);
        assert.ok(sample.ms >= DB_TIMEOUT_MS * 0.9 && sample.ms <= ANSWER_WITHIN_MS, `${sample.path} took ${Math.round(sample.ms)} ms`);
      }
      await locker.query('ROLLBACK');
      await assertHealthy();
    } finally {
      await locker.end();
    }
  });

  it('a request queued behind stuck ones is answered within DB_TIMEOUT_MS too, not after its own waits add up', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl(server.adminUrl, 'django') });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE auth_user IN ACCESS EXCLUSIVE MODE');
      // As many stuck user lookups as the pool has connections (buildApp's pool holds 4).
      const stuck = Array.from({ length: 4 }, () => probe(http.url, '/elixir/api/me', aliceKey));
      const observer = new pg.Client({ connectionString: databaseUrl(server.adminUrl, 'django') });
      await observer.connect();
      for (let waiting = 0; waiting < 4; ) {
        const { rows } = await observer.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'django-session-bridge' AND wait_event_type = 'Lock'");
        waiting = rows[0]?.n ?? 0;
      }
      await observer.end();
      await sleep(DB_TIMEOUT_MS / 2);
      // This one waits for a connection until the stuck ones time out, then for its own stuck user lookup:
      // each wait is within pg's timeouts, their sum is not.
      const queued = await probe(http.url, '/elixir/api/me', aliceKey);
      for (const sample of [queued, ...(await Promise.all(stuck))]) {
        assertUnavailable(sample);
        assert.ok(sample.ms <= ANSWER_WITHIN_MS, `answered after ${Math.round(sample.ms)} ms`);
      }
      await admin.query('ROLLBACK');
      await assertHealthy();
    } finally {
      await admin.end();
    }
  });
});
