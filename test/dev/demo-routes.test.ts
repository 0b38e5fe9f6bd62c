import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { startDemo, type RunningDemo } from '../../src/dev/demo.ts';
import { decodeSessionData } from 'django-session-bridge/django';
import { DEMO_PASSWORD } from '../../src/dev/demo-users.ts';
import { tempDir } from '../helpers/spawned.ts';

interface Page {
  status: number;
  text: string;
  location: string | null;
  setCookie: string | null;
}

describe('the demo path over HTTP: log in through the real log-in page, see "Logged In!", log out', () => {
  let demo: RunningDemo;
  let dataDir: string;
  let django: pg.Pool;

  async function get(path: string, cookie?: string): Promise<Page> {
    const response = await fetch(new URL(path, demo.pageUrl), { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
    return { status: response.status, text: await response.text(), location: response.headers.get('location'), setCookie: response.headers.get('set-cookie') };
  }

  /** The demo page's button for a user: its form posted to the real log-in page. Returns the response. */
  async function submitLogin(username: string, cookie?: string, next = ''): Promise<Page> {
    const list = await get('/elixir/demo/', cookie);
    const csrf = /csrftoken=([A-Za-z0-9]+)/.exec(list.setCookie ?? '')?.[1] ?? /csrftoken=([A-Za-z0-9]+)/.exec(cookie ?? '')?.[1];
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(list.text)?.[1];
    assert.ok(csrf && token, 'the demo page sets the CSRF cookie and puts a token in each form');
    const response = await fetch(new URL('/elixir/accounts/login/', demo.pageUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: [cookie, `csrftoken=${csrf}`].filter(Boolean).join('; '), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfmiddlewaretoken: token, username, password: DEMO_PASSWORD, next }).toString(),
    });
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith('sessionid=')) ?? null;
    return { status: response.status, text: await response.text(), location: response.headers.get('location'), setCookie };
  }

  async function logIn(username: string, cookie?: string): Promise<string> {
    const page = await submitLogin(username, cookie);
    assert.equal(page.status, 302, page.text);
    assert.equal(page.location, '/elixir/');
    const match = /^sessionid=([a-z0-9]{32}); expires=[^;]+; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/.exec(page.setCookie ?? '');
    assert.ok(match, `a Django session cookie: ${page.setCookie}`);
    return `sessionid=${match[1]}`;
  }

  async function sessionRows(): Promise<string[]> {
    return (await django.query<{ session_key: string }>('SELECT session_key FROM django_session ORDER BY session_key')).rows.map((row) => row.session_key);
  }

  before(async () => {
    dataDir = join(await tempDir('bridge-demo-http-'), 'data');
    demo = await startDemo({ DEMO_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', DJANGO_VERSION: '3.2' });
    django = new pg.Pool({ connectionString: demo.databaseUrl, max: 1 });
  });
  after(async () => {
    await django.end();
    await demo.close();
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('starts "Not Logged In", its log-in link leading to the demo\'s log-in page with every demo user', async () => {
    const home = await get('/elixir/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Not Logged In/);
    const login = /id="login" href="([^"]+)"/.exec(home.text)?.[1];
    assert.equal(login, '/elixir/demo/?next=%2Felixir%2F');
    const list = await get(login);
    assert.equal(list.status, 200);
    assert.match(list.text, /This is the demo database/);
    for (const username of ['alice', 'bob', 'carol']) assert.match(list.text, new RegExp(`<input type="hidden" name="username" value="${username}">`));
    assert.match(list.text, /action="\/elixir\/accounts\/login\/"/);
    assert.match(list.text, /Log in as carol<\/button> — inactive/);
  });

  it('logs in as alice: a Django session row, the cookie, then "Logged In!"', async () => {
    const cookie = await logIn('alice');
    const key = cookie.split('=')[1] as string;
    const row = (await django.query<{ session_data: string; expire_date: Date }>('SELECT session_data, expire_date FROM django_session WHERE session_key = $1', [key])).rows[0];
    assert.ok(row);
    // What django.contrib.auth.login() leaves, signed with the demo's key (DJANGO_SECRET_KEY is unset here).
    const { secretKey } = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as { secretKey: string };
    const settings = loadConfig({ DJANGO_SECRET_KEY: secretKey, DJANGO_VERSION: '3.2' }).django;
    const decoded = decodeSessionData(row.session_data, settings);
    assert.ok(decoded.ok);
    assert.deepEqual(Object.keys(decoded.session), ['_auth_user_id', '_auth_user_backend', '_auth_user_hash']);
    assert.equal(decoded.session._auth_user_backend, 'django.contrib.auth.backends.ModelBackend');
    assert.ok(Math.abs(row.expire_date.getTime() - (Date.now() + 1_209_600_000)) < 60_000);

    const page = await get('/elixir/', cookie);
    assert.match(page.text, /Logged In!/);
    assert.match(page.text, /<strong id="username">alice<\/strong>/);
    assert.match(page.text, /<form id="logout-form" method="post" action="\/elixir\/accounts\/logout\/">/);
    const me = JSON.parse((await get('/elixir/api/me', cookie)).text) as { loggedIn: boolean; user: { username: string } };
    assert.equal(me.loggedIn, true);
    assert.equal(me.user.username, 'alice');
  });

  it('logs out: the row is deleted, the cookie cleared, "Not Logged In" again', async () => {
    const cookie = await logIn('bob');
    assert.match((await get('/elixir/', cookie)).text, /Logged In!/);
    const page = await get('/elixir/', cookie);
    const csrf = /csrftoken=([A-Za-z0-9]+)/.exec(page.setCookie ?? '')?.[1];
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.text)?.[1];
    assert.ok(csrf && token, 'the page sets the CSRF cookie and puts a token in the log-out form');
    const response = await fetch(new URL('/elixir/accounts/logout/', demo.pageUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: `${cookie}; csrftoken=${csrf}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfmiddlewaretoken: token, next: '/elixir/' }).toString(),
    });
    const out = { status: response.status, location: response.headers.get('location'), setCookie: response.headers.get('set-cookie'), text: await response.text() };
    assert.equal(out.status, 302, out.text);
    assert.equal(out.status, 302);
    assert.equal(out.location, '/elixir/');
    assert.match(out.setCookie ?? '', /^sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=\/; SameSite=Lax/);
    assert.ok(!(await sessionRows()).includes(cookie.split('=')[1] as string));
    // Even a browser that kept the old cookie is no longer logged in: the row is gone.
    assert.match((await get('/elixir/', cookie)).text, /Not Logged In/);
  });

  it('never logs the inactive demo user in: Django\'s error, and no session written', async () => {
    const before = await sessionRows();
    const page = await submitLogin('carol');
    assert.equal(page.status, 200);
    assert.match(page.text, /Please enter a correct username and password/);
    assert.equal(page.setCookie, null);
    assert.deepEqual(await sessionRows(), before);
  });

  it('replaces the previous session on a new log-in, as Django\'s cycle_key() does', async () => {
    const alice = await logIn('alice');
    const bob = await logIn('bob', alice);
    const rows = await sessionRows();
    assert.ok(!rows.includes(alice.split('=')[1] as string));
    assert.ok(rows.includes(bob.split('=')[1] as string));
    assert.match((await get('/elixir/', bob)).text, /<strong id="username">bob<\/strong>/);
  });

  it('refuses a user who does not exist, writing nothing', async () => {
    const before = await sessionRows();
    const page = await submitLogin('mallory');
    assert.equal(page.status, 200);
    assert.match(page.text, /Please enter a correct username and password/);
    assert.equal(page.setCookie, null);
    assert.deepEqual(await sessionRows(), before);
  });

  it('only ever redirects back into this site', async () => {
    const to = async (next: string) => (await submitLogin('alice', undefined, next)).location;
    assert.equal(await to('/elixir/api/me'), '/elixir/api/me');
    for (const away of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '']) {
      assert.equal(await to(away), '/elixir/', away);
    }
  });
});
