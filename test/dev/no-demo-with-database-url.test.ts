import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDatabase } from '../../src/db.ts';
import { createLogger } from '../../src/logger.ts';
import { start } from '../../src/server.ts';
import { createFixture, SECRET_KEY, testConfig, type Fixture } from '../helpers/app.ts';
import { insertUser } from '../helpers/django.ts';
import { cleanEnv, groupGone, spawnGroup, tempDir } from '../helpers/spawned.ts';
import { freePort } from '../helpers/listen.ts';

// The demo's page, and the log-in pages it uses, which exist only with DATABASE_WRITE_URL (the demo sets it).
const DEMO_PATHS = ['/elixir/demo/', '/elixir/demo/?next=%2Felixir%2F', '/elixir/accounts/login/', '/elixir/accounts/logout/'];

describe('with a real DATABASE_URL, the demo does not exist', () => {
  let fixture: Fixture;
  let dataDir: string;

  async function counts(): Promise<{ sessions: number; users: number }> {
    const result = await fixture.django.query<{ sessions: number; users: number }>(
      'SELECT (SELECT count(*)::int FROM django_session) AS sessions, (SELECT count(*)::int FROM auth_user) AS users',
    );
    return result.rows[0] as { sessions: number; users: number };
  }

  async function assertNoDemo(baseUrl: string): Promise<void> {
    const before = await counts();
    for (const path of DEMO_PATHS) {
      const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get('set-cookie'), null, path);
    }
    assert.deepEqual(await counts(), before, 'nothing was written');
    // The page links to Django's own log-in view, not to a demo.
    assert.match(await (await fetch(`${baseUrl}/elixir/`)).text(), /href="\/accounts\/login\/\?next=%2Felixir%2F"/);
  }

  before(async () => {
    fixture = await createFixture();
    await insertUser(fixture.django, { username: 'alice' });
    dataDir = join(await tempDir('bridge-no-demo-'), 'data');
  });
  after(async () => {
    await fixture.close();
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('the production entry\'s start() serves no demo route and writes nothing', async () => {
    const config = testConfig(fixture.database.url, { PORT: '0' });
    const running = await start(config, createLogger('silent'), createDatabase({ url: fixture.database.url, poolMax: 2, timeoutMs: 2000 }));
    try {
      const { port } = running.server.address() as AddressInfo;
      await assertNoDemo(`http://127.0.0.1:${port}`);
    } finally {
      await running.close();
    }
  });

  it('`npm run dev` with DATABASE_URL set runs the service itself: no banner, no embedded PostgreSQL, no demo route', async () => {
    const port = await freePort();
    const dev = spawnGroup('npm', ['run', 'dev'], cleanEnv({
      DATABASE_URL: fixture.database.url,
      DJANGO_SECRET_KEY: SECRET_KEY,
      DEMO_DATA_DIR: dataDir,
      PORT: String(port),
      BASE_PATH: '/elixir',
    }));
    try {
      await dev.waitFor(/"msg":"listening"/, 60_000);
      await assertNoDemo(`http://127.0.0.1:${port}`);
      assert.doesNotMatch(dev.output(), /DEMO DATABASE/);
      assert.equal(existsSync(dataDir), false, 'the demo data directory was never created');
      dev.kill('SIGINT', 'group');
      await dev.exited;
      assert.ok(await groupGone(dev, 15_000));
    } finally {
      dev.kill('SIGKILL', 'group');
    }
  });
});
