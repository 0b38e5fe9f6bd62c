import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { LogCapture, SECRET_KEY } from '../helpers/app.ts';
import { appOn, mariadbDjangoDb, sqliteDjangoDb, type DatabaseApp, type DjangoDb } from '../helpers/django-databases.ts';
import { encodeSession, loginSession } from '../helpers/django.ts';
import { listen, type Listening } from '../helpers/listen.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';

const DB_TIMEOUT_MS = 1000;
// DB_TIMEOUT_MS bounds the whole lookup; the second is slack for a busy 2-core CI machine (as in test/outage.test.ts).
const ANSWER_WITHIN_MS = DB_TIMEOUT_MS + 1000;

interface Answer {
  status: number;
  loggedIn: boolean | null;
  ms: number;
  startedAt: number;
}

async function me(base: string, cookie: string): Promise<Answer> {
  const startedAt = performance.now();
  const response = await fetch(`${base}/elixir/api/me`, { headers: { cookie: `sessionid=${cookie}` }, signal: AbortSignal.timeout(ANSWER_WITHIN_MS * 3) });
  const body = (await response.json()) as { loggedIn?: boolean };
  return { status: response.status, loggedIn: response.status === 200 ? (body.loggedIn ?? null) : null, ms: performance.now() - startedAt, startedAt };
}

async function loggedInCookie(django: DjangoDb): Promise<string> {
  const alice = await django.insertUser({ username: 'alice' });
  return django.insertSession(encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY));
}

/** Until `until` resolves, `visitors` loops asking /api/me; every answer is kept. */
async function traffic(base: string, cookie: string, visitors: number, until: Promise<unknown>): Promise<Answer[]> {
  const answers: Answer[] = [];
  let running = true;
  void until.then(() => (running = false));
  await Promise.all(Array.from({ length: visitors }, async () => {
    while (running) answers.push(await me(base, cookie));
  }));
  return answers;
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) assert.fail(`not within ${timeoutMs} ms`);
    await sleep(50);
  }
  return performance.now() - started;
}

mariadbSuite('MariaDB stopped mid-traffic', (server) => {
  let django: DjangoDb;
  let built: DatabaseApp;
  let listening: Listening;
  let cookie: string;
  before(async () => {
    django = await mariadbDjangoDb(server());
    cookie = await loggedInCookie(django);
    built = await appOn(django.url, { DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) });
    listening = await listen(built.app);
  });
  after(async () => {
    await listening?.close();
    await built?.close();
  });

  it('answers 503 within DB_TIMEOUT_MS, never "not logged in", and logs the visitor in again once it is back, without a restart', async (t) => {
    assert.equal((await me(listening.url, cookie)).loggedIn, true);
    let stoppedAt = Infinity;
    const answers = await traffic(listening.url, cookie, 4, sleep(300).then(async () => {
      stoppedAt = performance.now();
      await server().stop();
      await sleep(1500);
    }));
    const afterStop = answers.filter((answer) => answer.startedAt > stoppedAt + 200);
    assert.ok(afterStop.length > 0, 'requests were made while it was down');
    assert.ok(answers.every((answer) => answer.loggedIn !== false), 'never a wrong verdict');
    assert.ok(afterStop.every((answer) => answer.status === 503), `503 while down: ${JSON.stringify(afterStop.filter((a) => a.status !== 503).slice(0, 3))}`);
    const slowest = Math.max(...answers.map((answer) => answer.ms));
    assert.ok(slowest < ANSWER_WITHIN_MS, `every answer within ${ANSWER_WITHIN_MS} ms (slowest ${slowest.toFixed(0)} ms)`);
    await server().start();
    const recovered = await eventually(async () => (await me(listening.url, cookie)).loggedIn === true, 10_000);
    t.diagnostic(`${answers.length} answers, ${afterStop.length} while down, slowest ${slowest.toFixed(0)} ms; logged in again ${recovered.toFixed(0)} ms after MariaDB was ready`);
  });
});

/**
 * A TCP proxy in front of MariaDB that passes the handshake and log-in through, then drops both sides the
 * moment the client sends `sql`: a server that goes away while a pool connection is being set up.
 */
async function droppingAt(port: number, sql: string): Promise<{ port: number; drops: () => number; close(): Promise<void> }> {
  let drops = 0;
  const proxy = createServer((client) => {
    const server = createConnection({ host: '127.0.0.1', port });
    const drop = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', drop);
    server.on('error', drop);
    client.on('data', (chunk) => {
      if (chunk.includes(sql)) {
        drops += 1;
        drop();
      } else server.write(chunk);
    });
    server.on('data', (chunk) => client.write(chunk));
    client.on('close', drop);
    server.on('close', drop);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    drops: () => drops,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}

mariadbSuite('MariaDB closing connections while the pool sets them up', (server) => {
  it('answers 503 and raises no unhandled rejection (it would end the process)', async () => {
    const django = await mariadbDjangoDb(server());
    const cookie = await loggedInCookie(django);
    const proxy = await droppingAt(server().port, 'SET SESSION TRANSACTION READ ONLY');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const url = new URL(django.url);
    url.port = String(proxy.port);
    const built = await appOn(url.toString(), { DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) });
    const listening = await listen(built.app);
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, () => me(listening.url, cookie)));
      assert.deepEqual(answers.map((answer) => answer.status), [503, 503, 503, 503]);
      assert.ok(proxy.drops() > 0, 'the pool tried to set a connection up');
      // The pool keeps trying in the background until its acquire timeout: give those attempts time to fail too.
      await sleep(DB_TIMEOUT_MS);
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await listening.close();
      await built.close();
      await proxy.close();
      await django.close();
    }
  });
});

describe('SQLite file missing or locked', () => {
  let django: Awaited<ReturnType<typeof sqliteDjangoDb>>;
  let cookie: string;
  before(async () => {
    django = await sqliteDjangoDb('delete');
    cookie = await loggedInCookie(django);
  });
  after(() => django?.close());

  it('a missing file is a 503 and a log line naming it, until the file is there', async () => {
    const moved = `${django.file}.moved`;
    renameSync(django.file, moved);
    const log = new LogCapture();
    const built = await appOn(django.url, { DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) }, createLogger('warn', log));
    const down = await listen(built.app);
    try {
      const first = await me(down.url, cookie).catch(() => null);
      assert.equal(first?.status, 503);
      assert.match(log.text, new RegExp(`"SQLite database ${django.file}: unable to open database file".*"msg":"database unavailable"`));
      copyFileSync(moved, django.file);
      assert.equal((await me(down.url, cookie)).loggedIn, true, 'back without a restart');
    } finally {
      await down.close();
      await built.close();
    }
  });

  it('a file Django holds locked past the busy timeout is a 503 and a log line; once Django commits, logged in', async () => {
    // The first test moved the file under the writer: a fresh one.
    await django.close();
    django = await sqliteDjangoDb('delete');
    cookie = await loggedInCookie(django);
    const log = new LogCapture();
    const built = await appOn(django.url, { DB_TIMEOUT_MS: String(DB_TIMEOUT_MS) }, createLogger('warn', log));
    const listening = await listen(built.app);
    try {
      assert.equal((await me(listening.url, cookie)).loggedIn, true);
      django.writer.exec('BEGIN EXCLUSIVE');
      const locked = await me(listening.url, cookie);
      assert.equal(locked.status, 503);
      assert.ok(locked.ms < ANSWER_WITHIN_MS, `answered in ${locked.ms.toFixed(0)} ms`);
      assert.match(log.text, /"SQLite database [^"]*: database is locked".*"msg":"database unavailable"/);
      django.writer.exec('COMMIT');
      assert.equal((await me(listening.url, cookie)).loggedIn, true);
    } finally {
      await listening.close();
      await built.close();
    }
  });
});
