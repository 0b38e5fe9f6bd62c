import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { makePassword, passwordHashers } from 'django-session-bridge/django';
import { createLogger } from '../../src/logger.ts';
import { createPostgresWriteRole, type WriteRole } from '../helpers/write-role.ts';
import { createFixture, LogCapture, type Fixture } from '../helpers/app.ts';
import { insertUser } from '../helpers/django.ts';

const hashers = passwordHashers({ djangoVersion: '3.2' });

interface Visitor {
  cookies: Map<string, string>;
  token: string;
}

function header(visitor: Visitor): string {
  return [...visitor.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

function remember(visitor: Visitor, setCookie: string[] | string | undefined): void {
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
    if (value === '""') visitor.cookies.delete(name);
    else visitor.cookies.set(name, value);
  }
}

describe('the log-in pages (DATABASE_WRITE_URL set): log in, change the password, log out, as Django\'s views', () => {
  let fixture: Fixture;
  let env: Record<string, string>;
  let role: WriteRole;

  before(async () => {
    fixture = await createFixture();
    role = await createPostgresWriteRole(fixture.database);
    await insertUser(fixture.django, { username: 'alice', password: await makePassword('alice-pw', hashers) });
    await insertUser(fixture.django, { username: 'ina', password: await makePassword('ina-pw', hashers), isActive: false });
    env = { DATABASE_WRITE_URL: role.url, DJANGO_VERSION: '3.2', LOGIN_REDIRECT_URL: '/elixir/account/' };
  });
  after(async () => {
    await fixture.close();
    await role?.drop();
  });

  async function visit(app: ReturnType<Fixture['app']>['app'], path = '/elixir/accounts/login/', visitor?: Visitor): Promise<Visitor & { text: string }> {
    const seen = visitor ?? { cookies: new Map<string, string>(), token: '' };
    const page = await request(app.callback()).get(path).set('Cookie', header(seen)).expect(200);
    remember(seen, page.headers['set-cookie']);
    seen.token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.text)![1]!;
    return Object.assign(seen, { text: page.text });
  }

  it('without DATABASE_WRITE_URL the pages do not exist', async () => {
    const { app } = fixture.app({ DJANGO_VERSION: '3.2' });
    await request(app.callback()).get('/elixir/accounts/login/').expect(404);
  });

  it('GET shows AuthenticationForm\'s fields; a POST without CSRF is 403', async () => {
    const { app } = fixture.app(env);
    const page = await visit(app, '/elixir/accounts/login/?next=/elixir/account/');
    for (const field of ['username', 'password', 'next', 'csrfmiddlewaretoken']) assert.match(page.text, new RegExp(`name="${field}"`));
    assert.match(page.text, /name="next" value="\/elixir\/account\/"/);
    await request(app.callback()).post('/elixir/accounts/login/').type('form').send({ username: 'alice', password: 'alice-pw' }).expect(403);
  });

  it('a wrong password, an unknown user and an inactive one get Django\'s message, a 200 and no session', async () => {
    const { app } = fixture.app(env);
    const visitor = await visit(app);
    for (const [username, pw] of [['alice', 'nope'], ['nobody', 'x'], ['ina', 'ina-pw']]) {
      const res = await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
        .send({ csrfmiddlewaretoken: visitor.token, username, password: pw }).expect(200);
      assert.match(res.text, /Please enter a correct username and password\. Note that both fields may be case-sensitive\./);
      assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /sessionid=/, 'no session');
    }
    const empty = await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
      .send({ csrfmiddlewaretoken: visitor.token, username: ' ', password: '' }).expect(200);
    assert.equal(empty.text.match(/This field is required\./g)?.length, 2);
  });

  it('AllowAllUsersModelBackend: an inactive user gets "This account is inactive."', async () => {
    const { app } = fixture.app({ ...env, DJANGO_AUTHENTICATION_BACKENDS: 'django.contrib.auth.backends.AllowAllUsersModelBackend' });
    const visitor = await visit(app);
    const res = await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
      .send({ csrfmiddlewaretoken: visitor.token, username: 'ina', password: 'ina-pw' }).expect(200);
    assert.match(res.text, /This account is inactive\./);
  });

  it('logs in (new key, Vary: Cookie, safe next), changes the password, logs out; an unsafe next goes to LOGIN_REDIRECT_URL', async () => {
    const { app } = fixture.app(env);
    const visitor = await visit(app);
    const login = await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
      .send({ csrfmiddlewaretoken: visitor.token, username: 'alice', password: 'alice-pw', next: '/elixir/staff/' }).expect(302);
    assert.equal(login.headers.location, '/elixir/staff/');
    assert.match(String(login.headers.vary), /Cookie/);
    remember(visitor, login.headers['set-cookie']);
    const me = await request(app.callback()).get('/elixir/api/me').set('Cookie', header(visitor)).expect(200);
    assert.equal(me.body.user.username, 'alice');

    await visit(app, '/elixir/accounts/password_change/', visitor);
    const changed = await request(app.callback()).post('/elixir/accounts/password_change/').set('Cookie', header(visitor)).type('form')
      .send({ csrfmiddlewaretoken: visitor.token, old_password: 'alice-pw', new_password1: 'alice-new', new_password2: 'alice-new' }).expect(302);
    assert.equal(changed.headers.location, '/elixir/accounts/password_change/done/');
    remember(visitor, changed.headers['set-cookie']);
    assert.equal((await request(app.callback()).get('/elixir/api/me').set('Cookie', header(visitor)).expect(200)).body.user.username, 'alice');

    await visit(app, '/elixir/', visitor);
    const out = await request(app.callback()).post('/elixir/accounts/logout/').set('Cookie', header(visitor)).type('form')
      .send({ csrfmiddlewaretoken: visitor.token, next: 'https://evil.example/' }).expect(302);
    assert.equal(out.headers.location, '/elixir/accounts/logout/', 'LogoutView sends an unsafe next to its own path');
    remember(visitor, out.headers['set-cookie']);
    assert.equal((await request(app.callback()).get('/elixir/api/me').set('Cookie', header(visitor)).expect(200)).body.loggedIn, false);

    const again = await visit(app);
    const unsafe = await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(again)).type('form')
      .send({ csrfmiddlewaretoken: again.token, username: 'alice', password: 'alice-new', next: '//evil.example/' }).expect(302);
    assert.equal(unsafe.headers.location, '/elixir/account/');
  });

  it('a write database that does not answer is the 503 page, not a log-in and not a 500', async () => {
    const { app } = fixture.app({ ...env, DATABASE_WRITE_URL: 'postgresql://nobody:x@127.0.0.1:1/django', DB_TIMEOUT_MS: '500' });
    const visitor = await visit(app);
    const res = await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
      .set('Accept', 'text/html').send({ csrfmiddlewaretoken: visitor.token, username: 'alice', password: 'alice-new' }).expect(503);
    assert.equal([res.headers['set-cookie'] ?? []].flat().some((cookie) => cookie.startsWith('sessionid=')), false);
  });

  it('never logs the password, even at trace level, on success or failure', async () => {
    const logs = new LogCapture();
    const { app } = fixture.app({ ...env, LOG_LEVEL: 'trace' }, createLogger('trace', logs));
    const visitor = await visit(app);
    for (const pw of ['Secret-Typo-9f3a', 'alice-new']) {
      await request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
        .send({ csrfmiddlewaretoken: visitor.token, username: 'alice', password: pw });
    }
    assert.ok(logs.lines.length > 0, 'the requests were logged');
    assert.doesNotMatch(logs.text, /Secret-Typo-9f3a|alice-new/);
  });

  it('password_change requires a log-in', async () => {
    const { app } = fixture.app(env);
    const res = await request(app.callback()).get('/elixir/accounts/password_change/').expect(302);
    assert.match(res.headers.location!, /^\/elixir\/accounts\/login\/\?next=/);
  });

  it('throttles failed attempts per username and address when configured: 429 with Retry-After', async () => {
    const { app } = fixture.app({ ...env, LOGIN_THROTTLE_MAX_FAILURES: '2', LOGIN_THROTTLE_WINDOW_SECONDS: '60' });
    const visitor = await visit(app);
    const attempt = () => request(app.callback()).post('/elixir/accounts/login/').set('Cookie', header(visitor)).type('form')
      .send({ csrfmiddlewaretoken: visitor.token, username: 'alice', password: 'wrong' });
    await attempt().expect(200);
    await attempt().expect(200);
    const blocked = await attempt().expect(429);
    assert.ok(Number(blocked.headers['retry-after']) > 0 && Number(blocked.headers['retry-after']) <= 60);
  });
});
