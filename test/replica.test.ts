import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import type Koa from 'koa';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { createLogger } from '../src/logger.ts';
import { VerdictCounters } from '../src/metrics.ts';
import { openReplicaFromConfig } from '../src/sessions/replica.ts';
import { SECRET_KEY, testConfig } from './helpers/app.ts';
import { createDjangoDatabase } from './helpers/database.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';
import { freePort } from './helpers/listen.ts';
import { packagedSuite } from './helpers/packaged-suite.ts';
import { withSources, type Sources } from './helpers/read-sources.ts';
import { cleanEnv, spawnGroup } from './helpers/spawned.ts';
import { missingPostgres15, startReplication, type Replication } from './helpers/standby.ts';

// Generous, so that the replica's third of it holds even when other test files crowd a 2-core machine: a lag
// poll that times out sends reads to the primary for a second, which would change the sources counted here.
const DB_TIMEOUT_MS = 3000;
const MAX_LAG_MS = 500;

interface Served {
  app: Koa;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  loggedIn: boolean | undefined;
  username: string | undefined;
}

async function me(app: Koa, key: string): Promise<Answer> {
  const res = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${key}`);
  const body = res.body as { loggedIn?: boolean; user?: { username: string } | null };
  return { status: res.status, loggedIn: body.loggedIn, username: body.user?.username };
}

async function metrics(app: Koa): Promise<string> {
  return (await request(app.callback()).get('/elixir/metrics').expect(200)).text;
}

/** What one request added to the counters, by source. */
async function answeredBy(app: Koa, ask: () => Promise<Answer>): Promise<{ answer: Answer; by: Partial<Sources> }> {
  const { result, by } = await withSources(() => metrics(app), ask);
  return { answer: result, by };
}

/** Until the metrics say so: the replica is polled once a second, in the background. */
async function waitForMetrics(app: Koa, what: string, holds: (text: string) => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds(await metrics(app))) {
    if (Date.now() > deadline) throw new Error(`metrics never showed ${what}:\n${await metrics(app)}`);
    await sleep(100);
  }
}

function lagSeconds(text: string): number {
  return Number(/^bridge_replica_lag_seconds (\S+)$/m.exec(text)?.[1]);
}

const replicaUp = (up: 0 | 1) => (text: string) => new RegExp(`^bridge_replica_up ${up}$`, 'm').test(text);

packagedSuite('a read replica: a real physical standby (Debian PostgreSQL 15), replay paused on purpose', missingPostgres15(), () => {
  let replication: Replication;
  let django: pg.Pool;
  let primaryUrl: string;
  let standbyUrl: string;
  let aliceId: number;
  let aliceKey: string;
  const served: Served[] = [];

  /** An app on both databases, once its replica has answered a lag poll. */
  async function serve(env: Record<string, string> = {}): Promise<Served> {
    const config = testConfig(primaryUrl, { DATABASE_REPLICA_URL: standbyUrl, DB_TIMEOUT_MS: String(DB_TIMEOUT_MS), ...env });
    const db = createDatabase({ url: primaryUrl, poolMax: 4, timeoutMs: config.dbTimeoutMs, onIdleError: () => {} });
    const replica = openReplicaFromConfig(config, { onIdleError: () => {} });
    const app = createApp({ config, db, replica, logger: createLogger('silent'), counters: new VerdictCounters() });
    const built = { app, close: () => Promise.all([db.close(), replica?.close()]).then(() => undefined) };
    served.push(built);
    await waitForMetrics(app, 'a first lag poll', (text) => !Number.isNaN(lagSeconds(text)));
    return built;
  }

  async function login(userId: number): Promise<string> {
    return insertSession(django, encodeSession(loginSession(userId, await userPassword(django, userId), SECRET_KEY), SECRET_KEY));
  }

  async function onStandby(sql: string, values: unknown[]): Promise<number> {
    const client = new pg.Client({ connectionString: standbyUrl });
    await client.connect();
    try {
      return (await client.query(sql, values)).rowCount ?? 0;
    } finally {
      await client.end();
    }
  }

  before(async () => {
    replication = await startReplication();
    await createDjangoDatabase(replication.primary.url('postgres'), 'django');
    primaryUrl = replication.primary.url('django');
    standbyUrl = replication.standby.url('django');
    django = new pg.Pool({ connectionString: primaryUrl, max: 2 });
    django.on('error', () => {});
    // The role the README tells sites to use, as docs/read-only-role.sql makes it (database and role names as shipped).
    const grants = readFileSync(new URL('../docs/read-only-role.sql', import.meta.url), 'utf8').replace(/^--.*$/gm, '').replaceAll(":'password'", "'readonly-pw'");
    await django.query(grants);
    aliceId = await insertUser(django, { username: 'alice' });
    aliceKey = await login(aliceId);
    await replication.caughtUp();
  });
  after(async () => {
    await Promise.all(served.map((built) => built.close()));
    await django?.end();
    await replication?.destroy();
  });

  it('a logged-in session the standby has replayed is answered by the replica alone', async () => {
    const { app } = await serve();
    const { answer, by } = await answeredBy(app, () => me(app, aliceKey));
    assert.deepEqual(answer, { status: 200, loggedIn: true, username: 'alice' });
    assert.deepEqual(by, { replica: 1 });
  });

  it('a log-in written while replay is paused: the replica has no row, the primary logs the visitor in (fallback)', async () => {
    const { app } = await serve();
    await replication.pauseReplay();
    try {
      const key = await login(aliceId);
      assert.equal(await onStandby('SELECT 1 FROM django_session WHERE session_key = $1', [key]), 0, 'the standby has not replayed the log-in');
      const { answer, by } = await answeredBy(app, () => me(app, key));
      assert.deepEqual(answer, { status: 200, loggedIn: true, username: 'alice' });
      assert.deepEqual(by, { fallback: 1 });
    } finally {
      await replication.resumeReplay();
    }
  });

  it('a password change while paused: the fallback logs in the new session, the old one stays until replay, then both are right', async () => {
    const { app } = await serve();
    const bobId = await insertUser(django, { username: 'bob' });
    const oldKey = await login(bobId);
    await replication.caughtUp();
    await replication.pauseReplay();
    let newKey: string;
    try {
      // What Django's password change view does: a new password, update_session_auth_hash() cycling the key.
      await django.query("UPDATE auth_user SET password = 'pbkdf2_sha256$260000$newsalt$newhash=' WHERE id = $1", [bobId]);
      await django.query('DELETE FROM django_session WHERE session_key = $1', [oldKey]);
      newKey = await login(bobId);
      const renewed = await answeredBy(app, () => me(app, newKey));
      assert.deepEqual(renewed.answer, { status: 200, loggedIn: true, username: 'bob' });
      assert.deepEqual(renewed.by, { fallback: 1 });
      const stale = await answeredBy(app, () => me(app, oldKey));
      assert.deepEqual(stale.answer, { status: 200, loggedIn: true, username: 'bob' }, 'the staleness bound: the standby has not replayed the change');
      assert.deepEqual(stale.by, { replica: 1 });
    } finally {
      await replication.resumeReplay();
    }
    await replication.caughtUp();
    assert.deepEqual(await me(app, oldKey), { status: 200, loggedIn: false, username: undefined });
    const caughtUp = await answeredBy(app, () => me(app, newKey));
    assert.deepEqual(caughtUp.answer, { status: 200, loggedIn: true, username: 'bob' });
    assert.deepEqual(caughtUp.by, { replica: 1 });
  });

  it('a log-out while paused shows once replayed; with DATABASE_REPLICA_MAX_LAG_MS, once the lag passes it', async () => {
    const unbounded = await serve();
    const bounded = await serve({ DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS) });
    const key = await login(aliceId);
    await replication.caughtUp();
    await waitForMetrics(bounded.app, 'no lag', (text) => lagSeconds(text) === 0);
    await replication.pauseReplay();
    try {
      await django.query('DELETE FROM django_session WHERE session_key = $1', [key]);
      const stale = await answeredBy(unbounded.app, () => me(unbounded.app, key));
      assert.deepEqual(stale.answer, { status: 200, loggedIn: true, username: 'alice' }, 'logged in until the replica replays the log-out');
      assert.deepEqual(stale.by, { replica: 1 });

      await waitForMetrics(bounded.app, `a lag over ${MAX_LAG_MS} ms`, (text) => lagSeconds(text) * 1000 > MAX_LAG_MS);
      const bypassed = await answeredBy(bounded.app, () => me(bounded.app, key));
      assert.deepEqual(bypassed.answer, { status: 200, loggedIn: false, username: undefined }, 'over the bound the primary decides');
      assert.deepEqual(bypassed.by, { primary: 1 });
    } finally {
      await replication.resumeReplay();
    }
    await replication.caughtUp();
    const replayed = await answeredBy(unbounded.app, () => me(unbounded.app, key));
    assert.deepEqual(replayed.answer, { status: 200, loggedIn: false, username: undefined });
    assert.deepEqual(replayed.by, { fallback: 1 }, 'no row on the replica now: the primary confirms');
  });

  it('src/server.ts as production runs it, as the read-only role: checks both, reads the replica, polls its lag, closes both on SIGTERM', async () => {
    const port = await freePort();
    const readOnly = (url: string) => url.replace('postgresql://postgres@', 'postgresql://django_readonly:readonly-pw@');
    const server = spawnGroup(process.execPath, ['--import', 'tsx', 'src/server.ts'], cleanEnv({
      DATABASE_URL: readOnly(primaryUrl),
      DATABASE_REPLICA_URL: readOnly(standbyUrl),
      DATABASE_REPLICA_MAX_LAG_MS: '5000',
      DJANGO_SECRET_KEY: SECRET_KEY,
      NODE_ENV: 'production',
      PORT: String(port),
    }));
    try {
      await server.waitFor(/"msg":"listening"/, 20_000);
      await server.waitFor(/"msg":"read replica in use"/, 5000);
      const res = await fetch(`http://127.0.0.1:${port}/elixir/api/me`, { headers: { Cookie: `sessionid=${aliceKey}` } });
      assert.deepEqual(((await res.json()) as { user: { username: string } }).user.username, 'alice');
      const text = await (await fetch(`http://127.0.0.1:${port}/elixir/metrics`)).text();
      assert.match(text, /^bridge_verdicts_by_source_total\{source="replica"\} 1$/m);
      assert.match(text, /^bridge_replica_lag_seconds 0$/m, 'the role sees the WAL receiver: an idle standby is no lag');
      server.kill('SIGTERM', 'process');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    } finally {
      server.kill('SIGKILL', 'group');
    }
  });

  it('the standby stopped: the primary answers, never a 503; it is used again once back', async () => {
    const { app } = await serve();
    await replication.standby.stop();
    const first = await answeredBy(app, () => me(app, aliceKey));
    assert.deepEqual(first.answer, { status: 200, loggedIn: true, username: 'alice' });
    // Before the background poll notices, the replica's error falls back; once it has, the primary is asked directly.
    assert.ok(first.by.fallback === 1 || first.by.primary === 1, JSON.stringify(first.by));
    await waitForMetrics(app, 'the replica down', replicaUp(0));
    const direct = await answeredBy(app, () => me(app, aliceKey));
    assert.deepEqual(direct.answer, { status: 200, loggedIn: true, username: 'alice' });
    assert.deepEqual(direct.by, { primary: 1 }, 'once it has, the replica is not asked');
    await replication.standby.start();
    await waitForMetrics(app, 'the replica up', replicaUp(1));
    assert.deepEqual((await answeredBy(app, () => me(app, aliceKey))).by, { replica: 1 });
  });

  it('the primary stopped: what only the primary can decide is a 503, never "not logged in"; the replica\'s own verdicts still stand', async () => {
    const { app } = await serve();
    const unknownKey = 'nosuchsession0123456789abcdefghij';
    assert.deepEqual(await me(app, unknownKey), { status: 200, loggedIn: false, username: undefined });
    await replication.primary.stop();
    assert.deepEqual(await me(app, aliceKey), { status: 200, loggedIn: true, username: 'alice' });
    const unknown = await me(app, unknownKey);
    assert.equal(unknown.status, 503);
    assert.equal(unknown.loggedIn, undefined);
    await replication.standby.stop();
    assert.equal((await me(app, aliceKey)).status, 503);
    assert.match(await metrics(app), /^bridge_database_errors_total [1-9]\d*$/m);
  });
});
