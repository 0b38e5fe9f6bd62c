import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { installExample, packLibrary, seedSessions, startApp, type RunningApp } from './packed-app.ts';

const run = promisify(execFile);
const SECRET = 'next-example-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

describe('examples/next: the packed tarball in a Next.js app (App Router, Node runtime)', { timeout: 900_000 }, () => {
  let database: TestDatabase;
  let loggedIn: string;
  let anonymous: string;
  let app: Awaited<ReturnType<typeof installExample>>;
  let server: RunningApp;
  let pack: Awaited<ReturnType<typeof packLibrary>>;

  before(async () => {
    database = await createTestDatabase();
    ({ loggedIn, anonymous } = await seedSessions(database.url, SECRET));
    pack = await packLibrary();
    app = await installExample('next', pack.tarball);
    // next build runs without the database's environment: the example makes its DjangoAuth on the first request.
    await run(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { cwd: app.dir, timeout: 600_000, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    server = await startApp(app.dir, [process.execPath, 'node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1'], {
      DATABASE_URL: database.url,
      DJANGO_SECRET_KEY: SECRET,
      NEXT_TELEMETRY_DISABLED: '1',
    });
  });
  after(async () => {
    await server?.stop();
    app?.remove();
    pack?.remove();
    await database?.drop();
  });

  test('a route handler reads the verdict from the Web Request', async () => {
    const me = async (cookie?: string) => (await fetch(`${server.url}/api/me`, { headers: cookie ? { cookie } : {} })).json();
    assert.deepEqual(await me(`sessionid=${loggedIn}`), { loggedIn: true, username: 'ada' });
    assert.deepEqual(await me(`sessionid=${anonymous}`), { loggedIn: false, username: null });
    assert.deepEqual(await me(), { loggedIn: false, username: null });
  });

  test('proxy.js sends an anonymous visitor to the log-in page, and a server component greets a logged-in one', async () => {
    const refused = await fetch(`${server.url}/private`, { redirect: 'manual' });
    assert.equal(refused.status, 307);
    const location = new URL(refused.headers.get('location') ?? 'missing:', server.url);
    assert.equal(`${location.pathname}${location.search}`, '/accounts/login/?next=/private');
    const page = await fetch(`${server.url}/private`, { headers: { cookie: `sessionid=${loggedIn}` } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Hello, <!-- -->Ada|Hello, Ada/);
  });
});
