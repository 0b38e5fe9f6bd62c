import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { manifest } from '../package/public-api.ts';
import { installedPackages, installExample, packLibrary, seedSessions, startApp, withExample, type RunningApp } from './packed-app.ts';

const run = promisify(execFile);
const SECRET = 'consumer-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

/** The slice of the example's own `ws` client this test drives. */
type WebSocketClient = new (url: string, options?: { headers: Record<string, string> }) => {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'unexpected-response', listener: (request: unknown, response: { statusCode?: number }) => void): void;
  close(): void;
};

interface Sessions {
  env: Record<string, string>;
  loggedIn: string;
  anonymous: string;
}

/** What every HTTP example answers: the verdict as JSON on /, and login_required on /private. */
async function assertVerdicts(app: RunningApp, sessions: Sessions): Promise<void> {
  const me = async (cookie?: string) => (await fetch(`${app.url}/`, { headers: cookie ? { cookie } : {} })).json();
  assert.deepEqual(await me(`sessionid=${sessions.loggedIn}`), { loggedIn: true, username: 'ada' });
  assert.deepEqual(await me(`sessionid=${sessions.anonymous}`), { loggedIn: false, username: null });
  assert.deepEqual(await me(), { loggedIn: false, username: null });
  assert.deepEqual(await me('sessionid=not-a-key!'), { loggedIn: false, username: null });

  const anonymous = await fetch(`${app.url}/private`, { redirect: 'manual' });
  assert.equal(anonymous.status, 302);
  assert.equal(anonymous.headers.get('location'), '/accounts/login/?next=/private');
  const named = await fetch(`${app.url}/private`, { headers: { cookie: `sessionid=${sessions.loggedIn}` } });
  assert.equal(named.status, 200);
  assert.equal(await named.text(), 'Hello, ada');
}

describe('the packed tarball in fresh apps', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  let sessions: Sessions;
  let pack: Awaited<ReturnType<typeof packLibrary>>;

  before(async () => {
    database = await createTestDatabase();
    sessions = { env: { DATABASE_URL: database.url, DJANGO_SECRET_KEY: SECRET }, ...(await seedSessions(database.url, SECRET)) };
    pack = await packLibrary();
  });
  after(async () => {
    pack?.remove();
    await database?.drop();
  });

  test('Express: verdicts and guards, no Prisma, Koa or EJS installed, and require() from CommonJS', async () => {
    const app = await installExample('express', pack.tarball);
    try {
      const installed = installedPackages(app.dir);
      assert.ok(installed.includes('django-session-bridge') && installed.includes('express'));
      assert.deepEqual(installed.filter((name) => name === 'prisma' || name.startsWith('@prisma/') || name === 'koa' || name === 'ejs'), []);

      // Every entry point loads from CommonJS (no top-level await) in an app that has Express and pg only,
      // unless it is the entry point of a driver or framework this app lacks: the core and the other adapters
      // load without them, and createDjangoAuth loads a driver only when the URL names it.
      const needs: Record<string, string> = { './hono': 'hono', './mysql': 'mariadb', './sqlite': 'better-sqlite3', './redis': '@redis/client', './memcached': 'memjs' };
      const entries = Object.keys(manifest().exports).filter((entry) => entry !== './package.json' && (needs[entry] === undefined || installed.includes(needs[entry])));
      assert.ok(entries.length >= 7, `only ${entries.length} entry points were loaded`);
      writeFileSync(join(app.dir, 'require.cjs'), `for (const entry of ${JSON.stringify(entries)}) {\n  const loaded = require(entry === '.' ? 'django-session-bridge' : 'django-session-bridge' + entry.slice(1));\n  console.log(entry, Object.keys(loaded).length > 0);\n}\n`);
      const { stdout } = await run(process.execPath, ['require.cjs'], { cwd: app.dir });
      assert.deepEqual(stdout.trim().split('\n'), entries.map((entry) => `${entry} true`));

      const server = await startApp(app.dir, [process.execPath, 'server.js'], sessions.env);
      try {
        await assertVerdicts(server, sessions);
      } finally {
        await server.stop();
      }
    } finally {
      app.remove();
    }
  });

  for (const name of ['fastify', 'hono', 'koa']) {
    test(`${name}: verdicts and guards, no Prisma installed`, () =>
      withExample(name, pack.tarball, sessions.env, async (dir, server) => {
        assert.deepEqual(installedPackages(dir).filter((pkg) => pkg === 'prisma' || pkg.startsWith('@prisma/')), []);
        await assertVerdicts(server, sessions);
      }));
  }

  test('ws: node:http answers the verdict; an anonymous socket is refused, a logged-in one greeted by name', () =>
    withExample('ws', pack.tarball, sessions.env, async (dir, server) => {
      const me = await (await fetch(`${server.url}/`, { headers: { cookie: `sessionid=${sessions.loggedIn}` } })).json();
      assert.deepEqual(me, { loggedIn: true, username: 'ada' });

      const { WebSocket } = createRequire(join(dir, 'package.json'))('ws') as { WebSocket: WebSocketClient };
      const socketUrl = server.url.replace('http:', 'ws:');
      const refused = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(socketUrl);
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => reject(new Error('an anonymous socket was opened')));
      });
      assert.equal(refused, 401);
      const greeting = await new Promise<string>((resolve, reject) => {
        const socket = new WebSocket(socketUrl, { headers: { cookie: `sessionid=${sessions.loggedIn}` } });
        socket.on('message', (data) => {
          resolve(String(data));
          socket.close();
        });
        socket.on('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
      });
      assert.equal(greeting, 'Hello, Ada');
    }));
});
