import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createReadOnlyUser, missingMariaDb, startMariaDb, type MariaDbServer } from '../helpers/mariadb-server.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { startStackOn, USERS, type Site } from './harness.ts';
import { launchChromium, logInFromElixir, newContext, screenshot } from './lib/browser.ts';
import { migrate } from './lib/django-site.ts';
import { missingPackages, PYTHON } from './lib/prerequisites.ts';

const [ALICE] = USERS.active;
const DATABASE = 'django';
const MYSQLDB_MISSING = spawnSync(PYTHON, ['-c', 'import MySQLdb'], { encoding: 'utf8' }).status === 0 ? [] : ['python3-mysqldb'];
const MISSING = [...missingPackages(['django', 'nginx', 'chromium']), ...missingMariaDb(), ...MYSQLDB_MISSING];

interface Me {
  loggedIn: boolean;
  user: { username: string } | null;
}

// Django's tables made by Django's own `migrate` on MariaDB (no fixture), Django writing as root and the service
// reading as the SELECT-only user of docs/read-only-mysql.sql.
packagedSuite('the service next to real Django on MariaDB (Django\'s own migrate, a SELECT-only user), driven by Chromium', MISSING, () => {
  let server: MariaDbServer;
  let stack: Site;
  let browser: Browser;
  let context: BrowserContext;

  async function me(page: Page, site: string): Promise<Me> {
    const response = await page.request.get(`${site}/elixir/api/me`);
    assert.equal(response.status(), 200);
    return (await response.json()) as Me;
  }

  async function sessionRows(sessionid: string): Promise<number> {
    const rows = await server.admin.query<{ n: bigint }[]>(`SELECT count(*) AS n FROM \`${DATABASE}\`.django_session WHERE session_key = ?`, [sessionid]);
    return Number(rows[0]?.n);
  }

  before(async () => {
    server = await startMariaDb();
    await server.admin.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4`);
    const url = server.url(DATABASE);
    await migrate({ databaseUrl: url, secretKey: randomBytes(32).toString('hex') });
    stack = await startStackOn('mariadb', { url, serviceUrl: await createReadOnlyUser(server, DATABASE) });
    browser = await launchChromium();
    context = await newContext(browser);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
    await server?.close();
  });

  it('anonymous, logged in through Django\'s form, logged out through Django: /elixir/ and /elixir/api/me follow', async () => {
    const site = stack.sites.prefixed;
    const page = await context.newPage();
    await page.goto(`${site}/elixir/`);
    assert.equal(await page.locator('#status h1').textContent(), 'Not Logged In');
    assert.deepEqual(await me(page, site), { loggedIn: false, user: null });

    await logInFromElixir(page, site, ALICE, stack.password);
    assert.equal(await page.locator('#status h1').textContent(), 'Logged In!');
    assert.equal(await page.locator('#username').textContent(), ALICE);
    await screenshot(page, 'mariadb-01-logged-in');
    const verdict = await me(page, site);
    assert.equal(verdict.loggedIn, true);
    assert.equal(verdict.user?.username, ALICE);
    const sessionid = (await context.cookies(site)).find((cookie) => cookie.name === 'sessionid')?.value ?? '';
    assert.equal(await sessionRows(sessionid), 1, 'Django wrote the session into MariaDB');

    // The page's log-out button is a POST form to Django's LogoutView, which flushes the session and comes back.
    await Promise.all([page.waitForURL(`${site}/elixir/`), page.click('#logout')]);
    assert.equal(await page.locator('#status h1').textContent(), 'Not Logged In');
    await screenshot(page, 'mariadb-02-logged-out');
    assert.deepEqual(await me(page, site), { loggedIn: false, user: null });
    assert.equal(await sessionRows(sessionid), 0, 'Django deleted the row on log-out');
  });
});
