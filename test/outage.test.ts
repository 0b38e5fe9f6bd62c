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

const DB_TIMEOUT_MS = 1000;
// DB_TIMEOUT_MS bounds the whole lookup; the rest is slack for a CI machine whose 2 cores are also running
// another test file (the load test, say). A request that takes longer than this is a hang.
const ANSWER_WITHIN_MS = DB_TIMEOUT_MS + 1000;
const PATHS = ['/elixir/', '/elixir/api/me', '/elixir/healthz'] as const;
// As many as the pool has connections (buildApp's 4) and more, without starving a small machine's CPU.
const VISITORS = 6;

interface Sample {
  path: (typeof PATHS)[number];
  startedAt: number;
  ms: number;
  status: number;
  /** What the response says about the visitor: null for healthz and for error responses without a verdict. */
  loggedIn: boolean | null;
  body: string;
  error?: string;
}

async function probe(base: string, path: Sample['path'], cookie: string): Promise<Sample> {
  const startedAt = performance.now();
  try {
    const res = await fetch(base + path, { headers: { cookie: `sessionid=${cookie}` }, signal: AbortSignal.timeout(ANSWER_WITHIN_MS * 3) });
    const body = await res.text();
    const ms = performance.now() - startedAt;
    let loggedIn: boolean | null = null;
    if (path === '/elixir/' && res.status === 200) loggedIn = body.includes('Logged In!');
    if (path === '/elixir/api/me' && res.status === 200) loggedIn = (JSON.parse(body) as { loggedIn: boolean }).loggedIn;
    return { path, startedAt, ms, status: res.status, loggedIn, body };
  } catch (error) {
    return { path, startedAt, ms: performance.now() - startedAt, status: 0, loggedIn: null, body: '', error: String(error) };
  }
}

/** Concurrent visitors, each requesting the page, the API and healthz in turn until stopped. */
function traffic(base: string, cookie: string, visitors: number): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: visitors }, async (_, visitor) => {
    for (let i = visitor; running; i++) samples.push(await probe(base, PATHS[i % PATHS.length] as Sample['path'], cookie));
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

function assertUnavailable(sample: Sample): void {
  assert.equal(sample.status, 503, `${sample.path} during the outage: ${sample.body.slice(0, 200)}`);
  if (sample.path === '/elixir/') {
    assert.match(sample.body, /Service Unavailable/);
    assert.doesNotMatch(sample.body, /Logged In!/);
  } else if (sample.path === '/elixir/api/me') {
    assert.deepEqual(JSON.parse(sample.body), { error: 'Service temporarily unavailable', status: 503 });
  } else {
    assert.deepEqual(JSON.parse(sample.body), { status: 'unavailable' });
  }
}

/** Every answer is on time, and none is a wrong verdict: the session is logged in, or the answer is a 503. */
function assertNeverWrong(samples: Sample[]): void {
  for (const sample of samples) {
    assert.equal(sample.error, undefined, `${sample.path}: the service must always answer`);
    assert.ok(sample.ms <= ANSWER_WITHIN_MS, `${sample.path} took ${Math.round(sample.ms)} ms`);
    assert.ok(sample.status === 200 || sample.status === 503, `${sample.path}: status ${sample.status}`);
    if (sample.status === 200 && sample.path !== '/elixir/healthz') assert.equal(sample.loggedIn, true, `${sample.path}: a wrong verdict`);
  }
}

function summary(samples: Sample[]): string {
  const ms = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const pick = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
  return `${samples.length} requests, p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms, max ${pick(1)} ms`;
}

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

  async function assertHealthy(): Promise<void> {
    for (const path of PATHS) {
      const sample = await probe(http.url, path, aliceKey);
      assert.equal(sample.status, 200, `${path} after recovery: ${sample.body.slice(0, 200)}`);
      if (path !== '/elixir/healthz') assert.equal(sample.loggedIn, true);
    }
  }

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
