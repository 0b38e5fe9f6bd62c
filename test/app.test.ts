import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/logger.ts';
import type { Authenticate } from 'django-session-bridge';
import { lookupsFromConfig } from '../src/sessions/from-config.ts';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';

describe('the service over HTTP, against Django\'s tables', () => {
  let fixture: Fixture;
  let aliceKey: string;
  let anonymousKey: string;
  let expiredKey: string;

  before(async () => {
    fixture = await createFixture();
    const { django } = fixture;
    const alice = await insertUser(django, { username: 'alice', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', isStaff: true });
    const session = loginSession(alice, await userPassword(django, alice), SECRET_KEY);
    aliceKey = await insertSession(django, encodeSession(session, SECRET_KEY));
    anonymousKey = await insertSession(django, encodeSession({ visits: 3 }, SECRET_KEY));
    expiredKey = await insertSession(django, encodeSession(session, SECRET_KEY), new Date(Date.now() - 1000));
  });
  after(() => fixture.close());

  it('serves the page at /elixir and /elixir/', async () => {
    const { app } = fixture.app();
    for (const path of ['/elixir', '/elixir/']) {
      const res = await request(app.callback()).get(path).expect(200).expect('Content-Type', /html/);
      assert.match(res.text, /Not Logged In/);
      assert.match(res.text, /href="\/accounts\/login\/\?next=%2Felixir(%2F)?"/);
    }
  });

  it('says "Logged In!" with the username for a logged-in session', async () => {
    const { app } = fixture.app();
    const res = await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    assert.match(res.text, /Logged In!/);
    assert.match(res.text, /<strong id="username">alice<\/strong>/);
    assert.match(res.text, /Alice Liddell/);
    // Django 5 logs out on POST only: a form with our CSRF token and next.
    assert.match(res.text, /<form id="logout-form" method="post" action="\/accounts\/logout\/">/);
    assert.match(res.text, /name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"/);
    assert.match(res.text, /name="next" value="\/elixir\/"/);
  });

  it('sets the CSRF cookie only on a page that prints a token, as Django\'s lazy csrf_token does', async () => {
    const { app } = fixture.app();
    const anonymous = await request(app.callback()).get('/elixir/').expect(200);
    assert.doesNotMatch(anonymous.text, /csrfmiddlewaretoken/);
    assert.equal(anonymous.headers['set-cookie'], undefined, 'no form, no token, no cookie');
    const api = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    assert.equal(api.headers['set-cookie'], undefined, 'JSON never prints a token');
    const page = await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    const cookies = page.headers['set-cookie'] as unknown as string[];
    assert.equal(cookies.length, 1);
    assert.match(cookies[0]!, /^csrftoken=[A-Za-z0-9]{32};/);
  });

  it('checks CSRF on every route before routing: a POST to a GET-only route is 403 without a token, 405 with one', async () => {
    const { app } = fixture.app({ DJANGO_DEBUG: 'true' });
    const page = await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    const csrf = String(page.headers['set-cookie']).split(';')[0]!;
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.text)![1]!;
    const cookie = `sessionid=${aliceKey}; ${csrf}`;
    const without = await request(app.callback()).post('/elixir/').set('Cookie', cookie).type('form').send({}).expect(403);
    assert.match(without.text, /CSRF token missing\./);
    await request(app.callback()).post('/elixir/').set('Cookie', cookie).type('form').send({ csrfmiddlewaretoken: token }).expect(405);
    const api = await request(app.callback()).post('/elixir/api/me').set('Cookie', cookie).expect(403);
    assert.deepEqual(api.body, { error: 'CSRF verification failed. Request aborted.', reason: 'CSRF token missing.', status: 403 });
    await request(app.callback()).post('/elixir/api/me').set('Cookie', cookie).set('X-CSRFToken', token).expect(405);
    await request(app.callback()).post('/elixir/no-such-page').expect(403);
  });

  it('shows a CSRF refusal\'s reason only under DJANGO_DEBUG, as Django\'s csrf_failure does', async () => {
    const { app } = fixture.app();
    const page = await request(app.callback()).post('/elixir/').set('Cookie', `sessionid=${aliceKey}`).type('form').send({}).expect(403);
    assert.match(page.text, /CSRF verification failed\. Request aborted\./);
    assert.match(page.text, /More information is available with DEBUG=True\./);
    assert.doesNotMatch(page.text, /CSRF cookie not set/);
    const api = await request(app.callback()).post('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(403);
    assert.deepEqual(api.body, { error: 'CSRF verification failed. Request aborted.', status: 403 });
    const debug = await request(fixture.app({ DJANGO_DEBUG: 'true' }).app.callback()).post('/elixir/api/me').expect(403);
    assert.deepEqual(debug.body, { error: 'CSRF verification failed. Request aborted.', reason: 'CSRF cookie not set.', status: 403 });
  });

  it('checks CSRF before the body parser: a body Django never reads gets Django\'s 403, not a parser\'s 400 or 413', async () => {
    const { app } = fixture.app();
    // No CSRF cookie: Django refuses before it reads request.POST, whatever the body.
    await request(app.callback()).post('/elixir/api/me').set('Content-Type', 'application/json').send('{"not json').expect(403);
    await request(app.callback()).post('/elixir/').type('form').send(`a=${'x'.repeat(3 * 1024 * 1024)}`).expect(403);
    await request(app.callback()).post('/elixir/api/me').set('Content-Type', 'application/json').send(`"${'x'.repeat(3 * 1024 * 1024)}"`).expect(403);
    // A cookie but a foreign Origin: refused before the body too (Django 4.0+'s Origin check).
    await request(app.callback()).post('/elixir/').set('Cookie', `csrftoken=${'a'.repeat(32)}`).set('Origin', 'https://evil.example').type('form')
      .send(`a=${'x'.repeat(3 * 1024 * 1024)}`).expect(403);
  });

  it('with CSRF_USE_SESSIONS the secret is the Django session\'s _csrftoken, and no cookie is written', async () => {
    const { django } = fixture;
    const secret = 'k7Qm2ZpX9aLc4TnV8bRw1YhJ6dFs3GeU';
    const alice = await insertUser(django, { username: 'alice-sessions' });
    const withSecret = await insertSession(django, encodeSession({ ...loginSession(alice, await userPassword(django, alice), SECRET_KEY), _csrftoken: secret }, SECRET_KEY));
    const { app } = fixture.app({ CSRF_USE_SESSIONS: 'true', DJANGO_DEBUG: 'true' });
    const page = await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${withSecret}`).expect(200);
    assert.equal(page.headers['set-cookie'], undefined);
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.text)![1]!;
    await request(app.callback()).post('/elixir/').set('Cookie', `sessionid=${withSecret}`).type('form').send({ csrfmiddlewaretoken: token }).expect(405);
    await request(app.callback()).post('/elixir/').set('Cookie', `sessionid=${withSecret}`).set('X-CSRFToken', secret).expect(405);
    // A session without _csrftoken: nothing to offer (this service never writes Django's session), and refused.
    const refused = await request(app.callback()).post('/elixir/').set('Cookie', `sessionid=${aliceKey}`).set('X-CSRFToken', secret).expect(403);
    assert.match(refused.text, /CSRF cookie not set\./);
  });

  it('GET /api/me returns the verdict and the user', async () => {
    const { app } = fixture.app();
    const res = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    assert.equal(res.body.loggedIn, true);
    assert.deepEqual(Object.keys(res.body.user).sort(), ['groups', 'id', 'isStaff', 'isSuperuser', 'permissions', 'username']);
    assert.deepEqual(res.body.user.groups, []);
    assert.deepEqual(res.body.user.permissions, []);
    assert.equal(res.body.user.username, 'alice');
    assert.equal(res.body.user.isStaff, true);
    assert.equal(res.body.user.isSuperuser, false);
    assert.equal(typeof res.body.user.id, 'number');
  });

  const anonymousCases: [string, () => string | undefined][] = [
    ['no cookie', () => undefined],
    ['an unknown key', () => 'sessionid=abcdefgh12345678abcdefgh12345678'],
    ['an expired row', () => `sessionid=${expiredKey}`],
    ['an anonymous session (a row is not a login)', () => `sessionid=${anonymousKey}`],
  ];
  for (const [name, cookie] of anonymousCases) {
    it(`is not logged in with ${name}`, async () => {
      const { app } = fixture.app();
      const req = request(app.callback()).get('/elixir/api/me');
      const value = cookie();
      if (value) req.set('Cookie', value);
      const res = await req.expect(200);
      assert.deepEqual(res.body, { loggedIn: false, user: null });
    });
  }

  it('never queries for a cookie value that cannot be a Django session key', async () => {
    const built = fixture.app();
    let queries = 0;
    const query = built.db.pool.query.bind(built.db.pool);
    built.db.pool.query = ((...args: Parameters<typeof query>) => {
      queries += 1;
      return query(...args);
    }) as typeof query;
    for (const value of ['short', 'UPPERCASE0123456789', "x' OR '1'='1", 'a'.repeat(41), '%00%00%00%00%00%00%00%00', 'caf\u00e9caf\u00e9caf\u00e9', '']) {
      const res = await request(built.app.callback()).get('/elixir/').set('Cookie', `sessionid=${value}`).expect(200);
      assert.match(res.text, /Not Logged In/);
    }
    assert.equal(queries, 0);
  });

  it('reads the session cookie the way Django does: the last duplicate wins', async () => {
    const { app } = fixture.app();
    const res = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${anonymousKey}; other=1; sessionid=${aliceKey}`).expect(200);
    assert.equal(res.body.loggedIn, true);
  });

  it('honours SESSION_COOKIE_NAME', async () => {
    const { app } = fixture.app({ SESSION_COOKIE_NAME: 'djsession' });
    const cookie = (name: string) => request(app.callback()).get('/elixir/api/me').set('Cookie', `${name}=${aliceKey}`);
    assert.equal((await cookie('djsession').expect(200)).body.loggedIn, true);
    assert.equal((await cookie('sessionid').expect(200)).body.loggedIn, false);
  });

  it('mounts everything under BASE_PATH', async () => {
    const { app } = fixture.app({ BASE_PATH: '/node/' });
    await request(app.callback()).get('/node').expect(200);
    await request(app.callback()).get('/node/api/me').expect(200);
    await request(app.callback()).get('/elixir/').expect(404);
  });

  it('serves at the root when nginx strips the prefix (BASE_PATH=/), linking back through X-Forwarded-Prefix', async () => {
    const { app } = fixture.app({ BASE_PATH: '/' });
    const res = await request(app.callback()).get('/').set('X-Forwarded-Prefix', '/elixir').expect(200);
    assert.match(res.text, /next=%2Felixir%2F/);
    await request(app.callback()).get('/api/me').expect(200);
  });

  it('answers unknown paths with a 404 page', async () => {
    const { app } = fixture.app();
    const res = await request(app.callback()).get('/elixir/nope').expect(404);
    assert.match(res.text, /Not Found/);
  });

  it('healthz is 200 when the database answers', async () => {
    const { app } = fixture.app();
    const res = await request(app.callback()).get('/elixir/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('healthz is 503 when the database does not answer', async () => {
    const { app } = fixture.app({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none', DB_TIMEOUT_MS: '500' });
    const res = await request(app.callback()).get('/elixir/healthz').expect(503);
    assert.deepEqual(res.body, { status: 'unavailable' });
  });

  it('healthz runs the pages\' own lookups, a wrapper around them (replica routing) included', async () => {
    const { config, db } = fixture.app();
    const real = lookupsFromConfig(config, db);
    const asked: (string | undefined)[] = [];
    const wrapper = (failing: boolean): Authenticate => (cookie) => (asked.push(cookie), failing ? Promise.reject(new Error('replica down')) : real(cookie));
    const healthz = (lookups: Authenticate) => request(createApp({ config, db, logger: createLogger('silent'), lookups }).callback()).get('/elixir/healthz');
    assert.deepEqual((await healthz(wrapper(false)).expect(200)).body, { status: 'ok' });
    assert.deepEqual(asked, ['0'.repeat(32)]);
    // SELECT 1 would still answer here: only the lookup path fails.
    assert.deepEqual((await healthz(wrapper(true)).expect(503)).body, { status: 'unavailable' });
  });

  it('answers 503, never "logged in", when the database does not answer a session lookup', async () => {
    const { app } = fixture.app({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none', DB_TIMEOUT_MS: '500' });
    const page = await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(503);
    assert.match(page.text, /Service Unavailable/);
    assert.doesNotMatch(page.text, /Logged In!/);
    const api = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(503);
    assert.equal(api.body.status, 503);
    assert.equal(api.body.loggedIn, undefined);
  });
});
