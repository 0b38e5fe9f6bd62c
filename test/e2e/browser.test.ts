import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, USERS, type Stack } from './harness.ts';
import { djangoSays, elixirState, launchChromium, logInFromElixir, newContext, screenshot } from './lib/browser.ts';
import { e2eSuite } from './lib/prerequisites.ts';

const [ALICE, BOB, CAROL] = USERS.active;
const [IVAN] = USERS.inactive;

const LOGGED_OUT = { heading: 'Not Logged In', username: null, loginHref: '/accounts/login/?next=%2Felixir%2F' };

e2eSuite('the service next to real Django, behind real nginx, driven by Chromium', ['django', 'nginx', 'chromium'], () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await newContext(browser);
    contexts.push(context);
    return context.newPage();
  }

  before(async () => {
    stack = await startStack('browser');
    browser = await launchChromium();
  });

  after(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await stack?.stop();
  });

  it('logs in through Django\'s form, and /elixir/ says "Logged In!" with the username', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    await screenshot(page, '01-elixir-not-logged-in');

    await logInFromElixir(page, site, ALICE, stack.password, '02-django-login-form');
    const state = await elixirState(page, site);
    assert.equal(state.heading, 'Logged In!');
    assert.equal(state.username, ALICE);
    await screenshot(page, '03-elixir-logged-in');
    assert.equal(await djangoSays(page, site), `Django: logged in as ${ALICE}`);

    const me = await page.request.get(`${site}/elixir/api/me`);
    assert.equal((await me.json()).user.username, ALICE);
  });

  it('logs out through Django, and /elixir/ says "Not Logged In"', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    await logInFromElixir(page, site, ALICE, stack.password);
    assert.equal((await elixirState(page, site)).heading, 'Logged In!');

    // The Node page's log-out link goes to Django's log-out view, which brings the visitor back.
    await Promise.all([page.waitForURL(`${site}/elixir/`), page.click('#logout')]);
    assert.equal(await page.locator('#status h1').textContent(), 'Not Logged In');
    await screenshot(page, '04-elixir-after-django-logout');
    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    assert.equal(await djangoSays(page, site), 'Django: not logged in');
  });

  it('a password change in another session logs the old session out on /elixir/, as Django does', async () => {
    const site = stack.sites.prefixed;
    const old = await newPage();
    await logInFromElixir(old, site, BOB, stack.password);
    assert.equal((await elixirState(old, site)).username, BOB);

    const other = await newPage();
    await logInFromElixir(other, site, BOB, stack.password);
    await other.goto(`${site}/accounts/password_change/`);
    const newPassword = `${stack.password}-changed`;
    await other.fill('#id_old_password', stack.password);
    await other.fill('#id_new_password1', newPassword);
    await other.fill('#id_new_password2', newPassword);
    await Promise.all([other.waitForURL(`${site}/accounts/password_change/done/`), other.click('#password-change-submit')]);
    assert.equal(await other.locator('#password-changed').textContent(), 'Password changed');
    await screenshot(other, '05-django-password-changed');

    // The service decides first: Django deletes the stale session when it sees it, the service never writes.
    assert.deepEqual(await elixirState(old, site), LOGGED_OUT);
    await screenshot(old, '06-elixir-old-session-after-password-change');
    assert.equal(await djangoSays(old, site), 'Django: not logged in');
    assert.deepEqual(await elixirState(old, site), LOGGED_OUT);

    // Django's password change view keeps its own session (update_session_auth_hash), and so does the service.
    const kept = await elixirState(other, site);
    assert.equal(kept.heading, 'Logged In!');
    assert.equal(kept.username, BOB);
  });

  it('an inactive user is refused by Django\'s form and is never logged in on /elixir/', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    await page.goto(`${site}/accounts/login/?next=/elixir/`);
    await page.fill('#id_username', IVAN);
    await page.fill('#id_password', stack.password);
    await Promise.all([page.waitForLoadState(), page.click('#login-submit')]);
    assert.match((await page.locator('.errorlist').textContent()) ?? '', /correct username and password/);
    await screenshot(page, '07-django-refuses-inactive-user');
    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    assert.equal(await djangoSays(page, site), 'Django: not logged in');
  });

  it('a logged-in user deactivated in Django is logged out on /elixir/, and back when reactivated', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    await logInFromElixir(page, site, CAROL, stack.password);
    assert.equal((await elixirState(page, site)).username, CAROL);

    // What unticking "Active" in Django's admin writes.
    await stack.db.query('UPDATE auth_user SET is_active = false WHERE username = $1', [CAROL]);
    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    await screenshot(page, '08-elixir-deactivated-user');
    assert.equal(await djangoSays(page, site), 'Django: not logged in');

    // Django keeps the session of an inactive user, so reactivating logs the same browser back in.
    await stack.db.query('UPDATE auth_user SET is_active = true WHERE username = $1', [CAROL]);
    assert.equal((await elixirState(page, site)).username, CAROL);
    assert.equal(await djangoSays(page, site), `Django: logged in as ${CAROL}`);
  });

  it('an anonymous session row that Django wrote is not a login', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    await page.goto(`${site}/anonymous-session/`);
    assert.equal(await page.locator('body').textContent(), 'visits=1');
    const cookie = (await page.context().cookies(site)).find((c) => c.name === 'sessionid');
    assert.ok(cookie, 'Django set a session cookie');
    const row = await stack.db.query('SELECT 1 FROM django_session WHERE session_key = $1', [cookie.value]);
    assert.equal(row.rowCount, 1, 'Django wrote the session row');

    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    await screenshot(page, '09-elixir-anonymous-session');
  });

  it('keeps the /elixir prefix in links, and a visitor cannot forge X-Forwarded-Prefix', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    await page.context().setExtraHTTPHeaders({ 'X-Forwarded-Prefix': '/forged', 'X-Forwarded-Host': 'forged.example' });
    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    const metrics = await page.request.get(`${site}/elixir/metrics`);
    assert.equal(metrics.status(), 404);
  });

  it('with the prefix stripped (BASE_PATH=/), X-Forwarded-Prefix keeps /elixir in links and the log-in round trip works', async () => {
    const site = stack.sites.stripped;
    const page = await newPage();
    assert.deepEqual(await elixirState(page, site), LOGGED_OUT);
    await logInFromElixir(page, site, ALICE, stack.password);
    const state = await elixirState(page, site);
    assert.equal(state.heading, 'Logged In!');
    assert.equal(state.username, ALICE);
    assert.equal(await page.locator('#logout-form').getAttribute('action'), '/accounts/logout/');
    assert.equal(await page.locator('#logout-form input[name=next]').getAttribute('value'), '/elixir/');
    await screenshot(page, '10-stripped-prefix-logged-in');
    const bare = await page.goto(`${site}/elixir`);
    assert.equal(bare?.status(), 200);
    assert.equal(await page.locator('#username').textContent(), ALICE);
    assert.equal((await page.request.get(`${site}/elixir/metrics`)).status(), 404);
  });
  it('guards redirect as Django\'s @login_required does, and a Django page\'s token is accepted by our POST route', async () => {
    const site = stack.sites.prefixed;
    const page = await newPage();
    // Django's own @login_required view, then ours: the same log-in URL, next quoted the same way.
    await page.goto(`${site}/members/?x=1`);
    const djangos = new URL(page.url());
    await page.goto(`${site}/elixir/account/?x=1`);
    const ours = new URL(page.url());
    assert.equal(djangos.pathname, '/accounts/login/');
    assert.equal(ours.search, djangos.search.replace('/members/', '/elixir/account/'));
    assert.equal(ours.pathname, djangos.pathname);

    await page.fill('#id_username', CAROL);
    await page.fill('#id_password', stack.password);
    await Promise.all([page.waitForURL(`${site}/elixir/account/?x=1`), page.click('#login-submit')]);
    assert.equal(await page.locator('#account h1').textContent(), `Hello, ${CAROL}`);
    await screenshot(page, '11-elixir-account');

    // A form Django rendered ({% csrf_token %}, Django's cookie) posts to this service, which accepts it.
    await page.goto(`${site}/greeting-form/`);
    await page.selectOption('#greeting', 'Welcome back');
    await Promise.all([page.waitForURL(`${site}/elixir/account/`), page.click('#greeting-submit')]);
    assert.equal(await page.locator('#account h1').textContent(), `Welcome back, ${CAROL}`);

    // Our own form (our token) and the redirect-after-POST.
    await page.selectOption('#greeting-form select', 'Good to see you');
    await Promise.all([page.waitForURL(`${site}/elixir/account/`), page.click('#greeting-form button')]);
    assert.equal(await page.locator('#account h1').textContent(), `Good to see you, ${CAROL}`);

    // Without a token the POST is refused; a GET-only route is no exception. The site runs with DEBUG off,
    // and so does the service: the reason goes to the log, not to the page.
    const refused = await page.request.post(`${site}/elixir/`, { form: { greeting: 'Hello' } });
    assert.equal(refused.status(), 403);
    const refusal = await refused.text();
    assert.match(refusal, /CSRF verification failed\. Request aborted\./);
    assert.doesNotMatch(refusal, /CSRF token missing/);

    // staff_member_required: a user who is not staff is sent to the admin's log-in page.
    const staff = await page.request.get(`${site}/elixir/staff/`, { maxRedirects: 0 });
    assert.equal(staff.status(), 302);
    assert.equal(staff.headers().location, '/admin/login/?next=/elixir/staff/');
  });
});
