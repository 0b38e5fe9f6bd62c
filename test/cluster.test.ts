import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';
import { freePort } from './helpers/listen.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `node src/server.ts` as production runs it, with WEB_CONCURRENCY workers. */
function startService(databaseUrl: string, port: number, workers: number): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DJANGO_SECRET_KEY: SECRET_KEY,
      PORT: String(port),
      WEB_CONCURRENCY: String(workers),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}/elixir`, output: () => output, exited };
}

function workerPids(service: Service): number[] {
  const pid = service.child.pid as number;
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function me(service: Service, cookie?: string): Promise<{ loggedIn: boolean }> {
  const res = await fetch(`${service.url}/api/me`, { headers: cookie ? { Cookie: `sessionid=${cookie}` } : {} });
  assert.equal(res.status, 200);
  return (await res.json()) as { loggedIn: boolean };
}

async function serving(service: Service): Promise<true> {
  return until('the service to answer', async () => ((await fetch(`${service.url}/api/me`).then((res) => res.ok, () => false)) ? true : undefined));
}

async function withinTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('WEB_CONCURRENCY: node:cluster workers', () => {
  let fixture: Fixture;
  let aliceKey: string;
  const started: Service[] = [];

  before(async () => {
    fixture = await createFixture();
    const alice = await insertUser(fixture.django, { username: 'alice' });
    aliceKey = await insertSession(fixture.django, encodeSession(loginSession(alice, await userPassword(fixture.django, alice), SECRET_KEY), SECRET_KEY));
  });
  after(async () => {
    for (const service of started) if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await fixture.close();
  });

  async function launch(workers = 2): Promise<Service> {
    const service = startService(fixture.database.url, await freePort(), workers);
    started.push(service);
    await until('every worker to listen', () => (service.output().match(/"msg":"listening"/g)?.length === workers ? true : undefined));
    await serving(service);
    return service;
  }

  it('serves from the requested number of workers, and SIGTERM stops them all with exit code 0', async () => {
    const service = await launch(2);
    const pids = await until('two workers', () => (workerPids(service).length === 2 ? workerPids(service) : undefined));
    for (let i = 0; i < 4; i += 1) assert.equal((await me(service, aliceKey)).loggedIn, true);
    service.child.kill('SIGTERM');
    assert.equal(await withinTime(service.exited, 15_000, 'shutdown'), 0, service.output());
    for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} is gone`);
  });

  it('lets a request in flight finish before the workers exit', async () => {
    const service = await launch(2);
    // Hold the session table so the request's lookup waits, like a slow query.
    const lock = await fixture.django.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE');
    try {
      const inFlight = fetch(`${service.url}/api/me`, { headers: { Cookie: `sessionid=${aliceKey}` } });
      await sleep(300);
      service.child.kill('SIGTERM');
      await sleep(300);
      assert.equal(service.child.exitCode, null, 'the primary waits for the request');
      await lock.query('COMMIT');
      const res = await inFlight;
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { loggedIn: boolean }).loggedIn, true);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      lock.release();
    }
    assert.equal(await withinTime(service.exited, 15_000, 'shutdown'), 0, service.output());
  });

  it('replaces a worker that dies', async () => {
    const service = await launch(2);
    const [victim, survivor] = await until('two workers', () => (workerPids(service).length === 2 ? workerPids(service) : undefined));
    process.kill(victim as number, 'SIGKILL');
    const replaced = await until('a replacement worker', () => {
      const pids = workerPids(service);
      return pids.length === 2 && !pids.includes(victim as number) ? pids : undefined;
    });
    assert.ok(replaced.includes(survivor as number));
    for (let i = 0; i < 4; i += 1) assert.equal((await me(service, aliceKey)).loggedIn, true);
    service.child.kill('SIGTERM');
    assert.equal(await withinTime(service.exited, 15_000, 'shutdown'), 0, service.output());
  });

  it('stops with exit code 1, rather than restarting forever, when workers cannot start', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const service = startService(fixture.database.url, (taken.address() as AddressInfo).port, 2);
      started.push(service);
      assert.equal(await withinTime(service.exited, 20_000, 'giving up'), 1);
      assert.match(service.output(), /worker failed to start/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
