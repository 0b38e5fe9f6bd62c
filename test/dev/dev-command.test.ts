import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAlive, runningPostmaster } from '../../src/dev/postmaster.ts';
import { cleanEnv, groupGone, spawnGroup, tempDir, type Spawned } from '../helpers/spawned.ts';

// A newcomer's first run, on a fresh data directory: initdb, Django's schema, three PBKDF2 hashes at
// Django 5.2's 1,000,000 iterations. Well under this on a 2-core machine; the bound is what a test may wait.
const FIRST_START_MS = 90_000;
const STOP_MS = 20_000;

async function fetchPage(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
}

/** The demo page's button for a user: the form posted to the real log-in page. */
async function logInAs(demoPage: string, username: string): Promise<Response> {
  const page = await fetchPage(demoPage);
  const csrf = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(await page.text())![1]!;
  const action = new URL('../accounts/login/', demoPage);
  return fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfmiddlewaretoken: token, username, password: 'demo', next: '' }).toString(),
  });
}

function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith('sessionid='))?.split(';')[0];
}

describe('`npm run dev` without DATABASE_URL', () => {
  let dataDir: string;
  let cookie: string;

  before(async () => {
    dataDir = join(await tempDir('bridge-npm-dev-'), 'data');
  });
  after(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

  function npmRunDev(): Spawned {
    return spawnGroup('npm', ['run', 'dev'], cleanEnv({ DEMO_DATA_DIR: dataDir, PORT: '0', BASE_PATH: '/elixir', LOG_LEVEL: 'warn' }));
  }

  async function stoppedCleanly(dev: Spawned, postmasterPid: number): Promise<void> {
    const exit = await dev.exited;
    assert.ok(exit.code !== null || exit.signal !== null);
    assert.ok(await groupGone(dev, STOP_MS), `processes left behind:\n${dev.output()}`);
    assert.equal(isAlive(postmasterPid), false, 'the embedded PostgreSQL stopped');
    assert.equal(existsSync(join(dataDir, 'postgres', 'postmaster.pid')), false);
  }

  it('prints the banner, serves the page and the demo log-in, and stops everything on Ctrl-C', async (t) => {
    const dev = npmRunDev();
    try {
      const started = Date.now();
      const [, pageUrl] = await dev.waitFor(/Open\s+(http:\/\/127\.0\.0\.1:\d+\/elixir\/)\s/, FIRST_START_MS);
      const [, demoPage] = await dev.waitFor(/Log in\s+(http:\/\/\S+\/demo\/)\s+\(each button posts to accounts\/login\/\)/, 1000);
      await dev.waitFor(/carol\s+\(inactive: stays "Not Logged In"\)/, 1000);
      t.diagnostic(`npm run dev: banner after ${Date.now() - started} ms on a fresh data directory`);
      assert.match(dev.output(), /DEMO DATABASE: this is not your Django database/);
      assert.match(dev.output(), /DJANGO_SECRET_KEY is unset/);

      const home = await fetchPage(pageUrl as string);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Not Logged In/);

      const login = await logInAs(demoPage as string, 'alice');
      assert.equal(login.status, 302);
      cookie = sessionCookie(login) as string;
      assert.match(await (await fetchPage(pageUrl as string, cookie)).text(), /Logged In!/);

      const carol = await logInAs(demoPage as string, 'carol');
      assert.equal(carol.status, 200);
      assert.equal(sessionCookie(carol), undefined);

      const postmaster = runningPostmaster(join(dataDir, 'postgres'));
      assert.ok(postmaster);
      // What a terminal does on Ctrl-C: SIGINT to every process in the foreground group.
      dev.kill('SIGINT', 'group');
      await stoppedCleanly(dev, postmaster.pid);
    } finally {
      dev.kill('SIGKILL', 'group');
    }
  });

  it('starts again on the same data directory, still logged in, and stops everything on SIGTERM to npm alone', async (t) => {
    const dev = npmRunDev();
    try {
      const started = Date.now();
      const [, pageUrl] = await dev.waitFor(/Open\s+(http:\/\/127\.0\.0\.1:\d+\/elixir\/)\s/, FIRST_START_MS);
      t.diagnostic(`npm run dev: banner after ${Date.now() - started} ms on an initialised data directory`);
      // The session and the demo's secret key were kept in the data directory.
      assert.match(await (await fetchPage(pageUrl as string, cookie)).text(), /Logged In!/);

      const postmaster = runningPostmaster(join(dataDir, 'postgres'));
      assert.ok(postmaster);
      // What `kill <pid>` or a process manager does: only npm gets the signal, and passes it on.
      dev.kill('SIGTERM', 'process');
      await stoppedCleanly(dev, postmaster.pid);
    } finally {
      dev.kill('SIGKILL', 'group');
    }
  });
});
