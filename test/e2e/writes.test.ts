// Log-in, log-out and password change written by the service (DATABASE_WRITE_URL), checked by what real Django
// says of the same browser, and the reverse, on each kind of store a Django site keeps its sessions in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createClient } from '@redis/client';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase } from '../helpers/database.ts';
import { createReadOnlyUser, createWriteUser, missingMariaDb, startMariaDb } from '../helpers/mariadb-server.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { REDIS_MISSING, startRedis } from '../helpers/redis-server.ts';
import { tempDir } from '../helpers/spawned.ts';
import { createPostgresWriteRole } from '../helpers/write-role.ts';
import { startStackOn, USERS, type Site, type SiteDatabase } from './harness.ts';
import { djangoSays, elixirState, launchChromium, newContext, screenshot, shownOnElixir } from './lib/browser.ts';
import { logInThroughDjango, migrate, migrateAdminOnFixture, postDjangoForm, setCookie, type DjangoSiteSettings } from './lib/django-site.ts';
import { missingPackages, PYTHON } from './lib/prerequisites.ts';

/** One user per scenario, so that no scenario depends on another's order. */
const [ALICE, BOB, CAROL] = USERS.active;
const STAFF = 'stella';
const DAVE = 'dave';

// Django's admin is on for these stacks only: the staff user's log-in is proved by the admin letting her in.
const DJANGO_ENV = { DJANGO_ADMIN: 'on' };
const ELIXIR_LOGIN = '/elixir/accounts/login/';
/** Where /elixir/'s log-in link goes, and the button of the service's forms. */
const ELIXIR_LOGIN_FORM = `${ELIXIR_LOGIN}?next=%2Felixir%2F`;
const ELIXIR_SUBMIT = 'main form button[type=submit]';
const LOGGED_OUT = { heading: 'Not Logged In', username: null, loginHref: ELIXIR_LOGIN_FORM };
const DJANGO_ANONYMOUS = 'Django: not logged in';

/** Undo steps, run newest first; every step runs even when one fails, and the first failure is thrown. */
class Teardown {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.steps.unshift(step);
  }

  async run(): Promise<void> {
    let failure: unknown;
    for (const step of this.steps.splice(0)) await step().catch((error: unknown) => (failure ??= error));
    if (failure !== undefined) throw failure;
  }
}

/** Django's database for one stack, with Django's and the admin's tables, and the role the service writes as. */
interface Backing {
  database: SiteDatabase;
  /** DATABASE_WRITE_URL. */
  writeUrl: string;
  /** More settings both Django and the service read (the session engine's). */
  env?: Record<string, string>;
  /** Whether the session is stored where Django keeps it: its django_session row, or its cache entry. */
  sessionStored(key: string): Promise<boolean>;
}

interface WritesStack {
  /** Names the stack's logs and screenshots. */
  name: string;
  title: string;
  missing: readonly string[];
  /** Starts what the stack's Django needs; each step's undo goes on `teardown`, also when a later one fails. */
  open(teardown: Teardown): Promise<Backing>;
}

/** A throwaway site's settings for `manage.py` on a database no gunicorn serves yet. */
function migrateSettings(databaseUrl: string): DjangoSiteSettings {
  return { databaseUrl, secretKey: randomBytes(32).toString('hex'), env: DJANGO_ENV };
}

/** The suite's PostgreSQL database (the committed schema), the admin's tables, and a role by docs/write-role.sql. */
async function openPostgres(teardown: Teardown): Promise<{ database: SiteDatabase; writeUrl: string; pool: pg.Pool }> {
  const database = await createTestDatabase();
  let dropRole = async () => {};
  teardown.add(async () => {
    await database.drop();
    await dropRole();
  });
  const role = await createPostgresWriteRole(database);
  dropRole = role.drop;
  await migrateAdminOnFixture(migrateSettings(database.url));
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  teardown.add(() => pool.end());
  return { database: { url: database.url }, writeUrl: role.url, pool };
}

async function rowExists(pool: pg.Pool, key: string): Promise<boolean> {
  return (await pool.query('SELECT 1 FROM django_session WHERE session_key = $1', [key])).rowCount === 1;
}

const importable = (module: string, debianPackage: string) => (spawnSync(PYTHON, ['-c', `import ${module}`]).status === 0 ? [] : [debianPackage]);
const BROWSER_MISSING = missingPackages(['django', 'nginx', 'chromium']);
const MARIADB_DATABASE = 'django';

const STACKS: WritesStack[] = [
  {
    name: 'postgres',
    title: 'PostgreSQL, db engine',
    missing: BROWSER_MISSING,
    async open(teardown) {
      const { pool, ...backing } = await openPostgres(teardown);
      return { ...backing, sessionStored: (key) => rowExists(pool, key) };
    },
  },
  {
    name: 'redis',
    title: 'PostgreSQL, cache engine on Redis (django-redis)',
    missing: [...BROWSER_MISSING, ...REDIS_MISSING, ...importable('django_redis', 'python3-django-redis')],
    async open(teardown) {
      const redis = await startRedis();
      teardown.add(() => redis.stop());
      const { pool, ...backing } = await openPostgres(teardown);
      const client = createClient({ url: redis.url });
      await client.connect();
      teardown.add(async () => client.destroy());
      return {
        ...backing,
        env: { DJANGO_SESSION_ENGINE: 'django.contrib.sessions.backends.cache', DJANGO_CACHE_URL: redis.url },
        // django-redis's key: KEY_PREFIX (empty), VERSION, then the cache engine's own prefix and the key. No
        // django_session row may hold it: the service wrote to the engine Django reads, not to the table.
        sessionStored: async (key) => (await client.exists(`:1:django.contrib.sessions.cache${key}`)) === 1 && !(await rowExists(pool, key)),
      };
    },
  },
  {
    name: 'mariadb',
    title: 'MariaDB (Django\'s own migrate), read as the SELECT-only user of docs/read-only-mysql.sql, written as the user of docs/write-role-mysql.sql',
    missing: [...BROWSER_MISSING, ...missingMariaDb(), ...importable('MySQLdb', 'python3-mysqldb')],
    async open(teardown) {
      const server = await startMariaDb();
      teardown.add(() => server.close());
      await server.admin.query(`CREATE DATABASE \`${MARIADB_DATABASE}\` CHARACTER SET utf8mb4`);
      const url = server.url(MARIADB_DATABASE);
      await migrate(migrateSettings(url));
      return {
        database: { url, serviceUrl: await createReadOnlyUser(server, MARIADB_DATABASE) },
        writeUrl: await createWriteUser(server, MARIADB_DATABASE),
        async sessionStored(key) {
          const rows = await server.admin.query<{ n: bigint }[]>(`SELECT count(*) AS n FROM \`${MARIADB_DATABASE}\`.django_session WHERE session_key = ?`, [key]);
          return Number(rows[0]?.n) === 1;
        },
      };
    },
  },
  {
    name: 'sqlite',
    title: 'SQLite (Django\'s own migrate), one file read and written by both',
    missing: BROWSER_MISSING,
    async open(teardown) {
      const dir = await tempDir('bridge-e2e-sqlite-');
      teardown.add(() => rm(dir, { recursive: true, force: true }));
      const url = `file:${join(dir, 'django.sqlite3')}`;
      await migrate(migrateSettings(url));
      const db = new Database(join(dir, 'django.sqlite3'), { readonly: true, fileMustExist: true });
      teardown.add(async () => db.close());
      const row = db.prepare('SELECT 1 FROM django_session WHERE session_key = ?');
      return { database: { url }, writeUrl: url, sessionStored: async (key) => row.get(key) !== undefined };
    },
  },
];

/** The browser's Django session key, or undefined when it has no session cookie. */
async function sessionKey(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((cookie) => cookie.name === 'sessionid')?.value;
}

/**
 * Submits a form by its button and waits for the page the browser lands on. waitForURL would not do: a log-out
 * from /elixir/ or / lands on the same URL, which it takes as already reached.
 */
async function submit(page: Page, button: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), page.click(button)]);
  await page.waitForLoadState();
}

/** Fills a log-in form (the service's and Django's name their fields alike) and sends it. */
async function sendLogIn(page: Page, button: string, username: string, password: string): Promise<void> {
  await page.fill('#id_username', username);
  await page.fill('#id_password', password);
  await submit(page, button);
}

/** The service's log-in form (views/login.ejs) at the address /elixir/'s log-in link gives; lands on /elixir/. */
async function logInOnElixir(page: Page, site: string, username: string, password: string): Promise<void> {
  await page.goto(`${site}${ELIXIR_LOGIN_FORM}`);
  await sendLogIn(page, ELIXIR_SUBMIT, username, password);
  assert.equal(page.url(), `${site}/elixir/`);
}

/** Django's own log-in form (/accounts/login/), sent back to /elixir/. */
async function logInOnDjango(page: Page, site: string, username: string, password: string): Promise<void> {
  await page.goto(`${site}/accounts/login/?next=%2Felixir%2F`);
  await sendLogIn(page, '#login-submit', username, password);
  assert.equal(page.url(), `${site}/elixir/`);
}

/** The /elixir/ page the browser is on posts its log-out button to the service's LogoutView, which comes back. */
async function logOutOnElixir(page: Page, site: string): Promise<void> {
  assert.equal(await page.locator('#logout-form').getAttribute('action'), '/elixir/accounts/logout/');
  await submit(page, '#logout');
  assert.equal(page.url(), `${site}/elixir/`);
}

/** The /elixir/ page the browser is on says logged in as `username`, and so does Django's home page. */
async function assertLoggedInOnBoth(page: Page, site: string, username: string): Promise<void> {
  const state = await shownOnElixir(page);
  assert.equal(state.heading, 'Logged In!');
  assert.equal(state.username, username);
  assert.equal(await djangoSays(page, site), `Django: logged in as ${username}`);
}

// One Chromium and two profiles (browser contexts) for every scenario of every stack, their cookies cleared
// before each: a new context costs a renderer process, most of a second of CPU on a busy 2-core machine.
let chromium: Promise<Browser> | undefined;
let profiles: Promise<Page[]> | undefined;
after(async () => (await chromium)?.close());

/** Two browsers as a visitor's fresh ones: no cookie of any earlier scenario or stack. */
async function freshBrowsers(): Promise<[Page, Page]> {
  chromium ??= launchChromium();
  const browser = await chromium;
  profiles ??= Promise.all([0, 1].map(async () => (await newContext(browser)).newPage()));
  const [first, second] = (await profiles) as [Page, Page];
  await Promise.all([first, second].map((page) => page.context().clearCookies()));
  return [first, second];
}

function writesSuite(stack: WritesStack): void {
  packagedSuite(`log-in, log-out and password change written by the service are Django's, and the reverse: ${stack.title}`, stack.missing, () => {
    const teardown = new Teardown();
    let backing: Backing;
    let site: string;
    let password: string;
    const shot = (page: Page, name: string) => screenshot(page, `writes-${stack.name}-${name}`);
    const stored = async (key: string | undefined) => key !== undefined && backing.sessionStored(key);

    before(async () => {
      backing = await stack.open(teardown);
      const running: Site<'prefixed'> = await startStackOn(`writes-${stack.name}`, backing.database, { ...DJANGO_ENV, ...backing.env }, {
        variants: ['prefixed'],
        serviceEnv: { DATABASE_WRITE_URL: backing.writeUrl, DJANGO_LOGIN_URL: ELIXIR_LOGIN, DJANGO_LOGOUT_URL: '/elixir/accounts/logout/' },
        users: { active: [DAVE], staff: [STAFF] },
      });
      teardown.add(() => running.stop());
      site = running.sites.prefixed;
      password = running.password;
    });
    after(() => teardown.run());

    it('a staff user logs in on the service\'s form: /elixir/, Django\'s home page and Django\'s admin all know her', async () => {
      const [page] = await freshBrowsers();
      await page.goto(`${site}/elixir/`);
      await Promise.all([page.waitForURL(`${site}${ELIXIR_LOGIN_FORM}`), page.click('#login')]);
      assert.equal(await page.locator('input[name=next]').inputValue(), '/elixir/');
      assert.notEqual(await page.locator('input[name=csrfmiddlewaretoken]').inputValue(), '');
      await shot(page, '1-elixir-login-form');
      await sendLogIn(page, ELIXIR_SUBMIT, STAFF, password);
      assert.equal(page.url(), `${site}/elixir/`);
      assert.ok(await stored(await sessionKey(page)), 'the service stored the session where Django keeps it');
      await assertLoggedInOnBoth(page, site, STAFF);

      const admin = await page.goto(`${site}/admin/`);
      assert.equal(admin?.status(), 200);
      assert.equal(page.url(), `${site}/admin/`, 'the admin did not send her to its log-in form');
      assert.equal(await page.locator('#user-tools strong').textContent(), STAFF);
      await shot(page, '2-django-admin');
      assert.equal((await page.request.get(`${site}/elixir/staff/`, { maxRedirects: 0 })).status(), 200);
    });

    it('logging out on /elixir/ logs out of Django too: the session is gone from its store', async () => {
      const [page] = await freshBrowsers();
      await logInOnElixir(page, site, ALICE, password);
      const key = await sessionKey(page);
      assert.ok(await stored(key));
      await assertLoggedInOnBoth(page, site, ALICE);

      await page.goto(`${site}/elixir/`);
      await logOutOnElixir(page, site);
      assert.deepEqual(await shownOnElixir(page), LOGGED_OUT);
      await shot(page, '3-elixir-logged-out');
      assert.equal(await sessionKey(page), undefined, 'the session cookie was deleted');
      assert.equal(await stored(key), false, 'the session was deleted');
      assert.equal(await djangoSays(page, site), DJANGO_ANONYMOUS);
    });

    it('a password changed on /elixir/ keeps this browser logged in, logs the other out on both sides, and Django takes only the new one', async () => {
      const [changer, other] = await freshBrowsers();
      await logInOnElixir(changer, site, BOB, password);
      const before = await sessionKey(changer);
      // The other browser's session is Django's own: its hash of the old password ends it.
      await logInOnDjango(other, site, BOB, password);
      assert.equal((await shownOnElixir(other)).username, BOB);

      const changed = `${password}-new`;
      await changer.goto(`${site}/elixir/accounts/password_change/`);
      await changer.fill('#id_old_password', password);
      await changer.fill('#id_new_password1', changed);
      await changer.fill('#id_new_password2', changed);
      await submit(changer, ELIXIR_SUBMIT);
      assert.equal(changer.url(), `${site}/elixir/accounts/password_change/done/`);
      assert.equal(await changer.locator('h1').textContent(), 'Password change successful');
      await shot(changer, '4-elixir-password-changed');

      const after = await sessionKey(changer);
      assert.ok(after !== undefined && after !== before, 'the session moved to a new key');
      assert.equal(await stored(before), false);
      assert.ok(await stored(after));
      await changer.goto(`${site}/elixir/`);
      await assertLoggedInOnBoth(changer, site, BOB);
      // The service first: before Django has seen the stale session and deleted it.
      assert.deepEqual(await elixirState(other, site), LOGGED_OUT);
      await shot(other, '5-other-browser-logged-out');
      assert.equal(await djangoSays(other, site), DJANGO_ANONYMOUS);

      const refused = await postDjangoForm(site, '/accounts/login/', { username: BOB, password });
      assert.equal(refused.status, 200, 'Django\'s form refuses the old password');
      assert.equal(setCookie(refused, 'sessionid'), undefined);
      assert.ok(await stored(await logInThroughDjango(site, BOB, changed)), 'Django\'s form accepts the new one');
    });

    it('logged in on Django and out on /elixir/, then in on /elixir/ and out on Django: both sides anonymous each time', async () => {
      const [page] = await freshBrowsers();
      await logInOnDjango(page, site, CAROL, password);
      const djangos = await sessionKey(page);
      await assertLoggedInOnBoth(page, site, CAROL);
      await page.goto(`${site}/elixir/`);
      await logOutOnElixir(page, site);
      assert.equal(await stored(djangos), false, 'the service deleted the session Django wrote');
      assert.deepEqual(await shownOnElixir(page), LOGGED_OUT);
      assert.equal(await djangoSays(page, site), DJANGO_ANONYMOUS);

      await logInOnElixir(page, site, CAROL, password);
      const ours = await sessionKey(page);
      await assertLoggedInOnBoth(page, site, CAROL);
      // Django's own LogoutView, from its home page's form (POST, as Django 5 requires), back to its home page.
      await submit(page, '#django-logout');
      assert.equal(await stored(ours), false, 'Django deleted the session the service wrote');
      assert.equal(await page.locator('#django-status').textContent(), DJANGO_ANONYMOUS);
      assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    });

    it('a wrong password on /elixir/\'s form: 200, Django\'s own error, no session', async () => {
      const [page] = await freshBrowsers();
      await page.goto(`${site}${ELIXIR_LOGIN_FORM}`);
      const [response] = await Promise.all([
        page.waitForResponse((answer) => answer.url() === `${site}${ELIXIR_LOGIN}` && answer.request().method() === 'POST'),
        sendLogIn(page, ELIXIR_SUBMIT, DAVE, `${password}-wrong`),
      ]);
      assert.equal(response.status(), 200);
      assert.doesNotMatch((await response.headerValues('set-cookie')).join('\n'), /^sessionid=/m);
      assert.equal(await sessionKey(page), undefined);
      const ours = await page.locator('.errorlist.nonfield li').textContent();
      await shot(page, '6-elixir-wrong-password');

      await page.goto(`${site}/accounts/login/`);
      await sendLogIn(page, '#login-submit', DAVE, `${password}-wrong`);
      assert.equal(page.url(), `${site}/accounts/login/`);
      assert.equal(ours, await page.locator('.errorlist.nonfield li').textContent());
      assert.equal(await sessionKey(page), undefined);
    });
  });
}

for (const stack of STACKS) writesSuite(stack);
