import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';
import { freePort } from './helpers/listen.ts';

const SERVER = fileURLToPath(new URL('../src/server.ts', import.meta.url));

interface Service {
  child: ChildProcess;
  port: number;
  /** pino's lines so far, parsed. */
  logs: { msg: string }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `src/server.ts` in its own process, as production runs it; resolves once it listens. */
async function startService(databaseUrl: string): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DJANGO_SECRET_KEY: SECRET_KEY,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Longer than the lock this test holds: the slow request must finish, not time out.
      DB_TIMEOUT_MS: '20000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: { msg: string }[] = [];
  let stderr = '';
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) logs.push(JSON.parse(line) as { msg: string });
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const service = { child, port, logs, exited };
  await until(service, 'listening', 30_000, () => stderr);
  return service;
}

async function until(service: Service, message: string, timeoutMs: number, why: () => string = () => ''): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!service.logs.some((line) => line.msg === message)) {
    if (performance.now() > deadline || service.child.exitCode !== null) assert.fail(`no "${message}" log line: ${why()}`);
    await sleep(20);
  }
}

function getMe(port: number, cookie: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/elixir/api/me', headers: { cookie: `sessionid=${cookie}` }, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown of src/server.ts on SIGTERM', () => {
  let fixture: Fixture;
  let aliceKey: string;
  let service: Service | undefined;

  before(async () => {
    fixture = await createFixture();
    const alice = await insertUser(fixture.django, { username: 'alice' });
    aliceKey = await insertSession(fixture.django, encodeSession(loginSession(alice, await userPassword(fixture.django, alice), SECRET_KEY), SECRET_KEY));
  });
  after(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await fixture.close();
  });

  it('stops accepting, finishes the request in flight, closes the pool and exits 0', async () => {
    service = await startService(fixture.database.url);
    const agent = new Agent({ keepAlive: true });
    assert.equal(JSON.parse((await getMe(service.port, aliceKey, agent)).body).loggedIn, true);

    // Make a request slow without touching the service: hold a lock its user lookup has to wait for.
    const locker = await fixture.django.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE auth_user IN ACCESS EXCLUSIVE MODE');
    let answered = false;
    const inFlight = getMe(service.port, aliceKey, agent).finally(() => (answered = true));
    for (let waited = 0; ; waited += 20) {
      const { rows } = await fixture.django.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'django-session-bridge' AND wait_event_type = 'Lock' AND datname = current_database()");
      if (rows.length > 0) break;
      if (waited > 10_000) assert.fail('the request never reached the lock');
      await sleep(20);
    }

    service.child.kill('SIGTERM');
    await until(service, 'shutting down', 5000);
    assert.equal(await refused(service.port), true, 'new connections are refused');
    await sleep(300);
    assert.equal(answered, false, 'the slow request is still in flight');
    assert.equal(service.child.exitCode, null, 'and the process waits for it');

    await locker.query('ROLLBACK');
    locker.release();
    const response = await inFlight;
    const finished = performance.now();
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(response.body).loggedIn, true);

    const exit = await service.exited;
    const exitMs = performance.now() - finished;
    agent.destroy();
    console.log(`# exited ${exitMs.toFixed(0)} ms after the last response`);
    assert.deepEqual(exit, { code: 0, signal: null });
    // "stopped" is logged once the HTTP server and the database pool have both closed.
    const messages = service.logs.map((line) => line.msg);
    assert.deepEqual(messages.slice(messages.indexOf('shutting down')), ['shutting down', 'request', 'stopped']);
    // The keep-alive connection the slow request came on did not hold the exit up until its idle timeout.
    assert.ok(exitMs < 2000, `${exitMs} ms`);
    // A backend leaves pg_stat_activity shortly after its client hangs up; other test files share the server.
    let left = -1;
    for (let waited = 0; waited <= 2000 && left !== 0; waited += 50) {
      if (waited > 0) await sleep(50);
      const { rows } = await fixture.django.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'django-session-bridge' AND datname = current_database()",
      );
      left = rows[0]?.n ?? -1;
    }
    assert.equal(left, 0, 'no connection of the service is left');
  });

  it('an idle service exits 0 at once', async () => {
    service = await startService(fixture.database.url);
    const agent = new Agent({ keepAlive: true });
    await getMe(service.port, aliceKey, agent);
    const signalled = performance.now();
    service.child.kill('SIGTERM');
    assert.deepEqual(await service.exited, { code: 0, signal: null });
    agent.destroy();
    const ms = performance.now() - signalled;
    console.log(`# idle service exited ${ms.toFixed(0)} ms after SIGTERM`);
    assert.ok(ms < 2000, `${ms} ms`);
  });
});
