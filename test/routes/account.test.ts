import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from '../helpers/django.ts';

describe('the example routes for moving a view: guards, CSRF, redirect-after-POST', () => {
  let fixture: Fixture;
  let staffCookie: string;
  let plainCookie: string;

  before(async () => {
    fixture = await createFixture();
    const { django } = fixture;
    const one = async (sql: string, params: unknown[]) => ((await django.query(sql, params)).rows[0] as { id: number }).id;
    const alice = await insertUser(django, { username: 'alice', email: 'alice@example.com', isStaff: true });
    const bob = await insertUser(django, { username: 'bob', email: 'bob@example.com' });
    const type = await one('INSERT INTO django_content_type (app_label, model) VALUES ($1, $2) RETURNING id', ['polls', 'choice']);
    const perm = await one('INSERT INTO auth_permission (name, content_type_id, codename) VALUES ($1, $2, $3) RETURNING id', ['Can add choice', type, 'add_choice']);
    const group = await one('INSERT INTO auth_group (name) VALUES ($1) RETURNING id', ['editors']);
    await django.query('INSERT INTO auth_group_permissions (group_id, permission_id) VALUES ($1, $2)', [group, perm]);
    await django.query('INSERT INTO auth_user_groups (user_id, group_id) VALUES ($1, $2)', [alice, group]);
    const key = async (id: number) => insertSession(django, encodeSession(loginSession(id, await userPassword(django, id), SECRET_KEY), SECRET_KEY));
    staffCookie = `sessionid=${await key(alice)}`;
    plainCookie = `sessionid=${await key(bob)}`;
  });
  after(() => fixture.close());

  it('GET /account/ sends anonymous visitors to Django\'s log-in with next, and shows a user\'s groups and permissions', async () => {
    const { app } = fixture.app();
    const anonymous = await request(app.callback()).get('/elixir/account/').expect(302);
    assert.equal(anonymous.headers.location, '/accounts/login/?next=/elixir/account/');
    const page = await request(app.callback()).get('/elixir/account/').set('Cookie', staffCookie).expect(200);
    assert.match(page.text, /<ul id="groups"><li>editors<\/li><\/ul>/);
    assert.match(page.text, /<ul id="permissions"><li>polls\.add_choice<\/li><\/ul>/);
  });

  it('GET /staff/ lets staff in and sends everyone else to the admin log-in', async () => {
    const { app } = fixture.app();
    await request(app.callback()).get('/elixir/staff/').set('Cookie', staffCookie).expect(200);
    const refused = await request(app.callback()).get('/elixir/staff/').set('Cookie', plainCookie).expect(302);
    assert.equal(refused.headers.location, '/admin/login/?next=/elixir/staff/');
  });

  it('POST /account/greeting needs the CSRF token, then answers 303 and keeps the choice in its own cookie', async () => {
    // DEBUG, so that the refusal says why.
    const { app } = fixture.app({ DJANGO_DEBUG: 'true' });
    const page = await request(app.callback()).get('/elixir/account/').set('Cookie', plainCookie).expect(200);
    const csrf = String(page.headers['set-cookie']).split(';')[0]!;
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.text)![1]!;
    const cookie = `${plainCookie}; ${csrf}`;
    const refused = await request(app.callback()).post('/elixir/account/greeting').set('Cookie', cookie).type('form').send({ greeting: 'Welcome back' }).expect(403);
    assert.match(refused.text, /CSRF token missing/);
    const done = await request(app.callback()).post('/elixir/account/greeting').set('Cookie', cookie).type('form')
      .send({ greeting: 'Welcome back', csrfmiddlewaretoken: token }).expect(303);
    assert.equal(done.headers.location, '/elixir/account/');
    const greeting = String(done.headers['set-cookie']).split(';')[0]!;
    const again = await request(app.callback()).get('/elixir/account/').set('Cookie', `${cookie}; ${greeting}`).expect(200);
    assert.match(again.text, /<h1>Welcome back, <span id="username">bob<\/span><\/h1>/);
    await request(app.callback()).post('/elixir/account/greeting').set('Cookie', cookie).type('form')
      .send({ greeting: 'Bye', csrfmiddlewaretoken: token }).expect(400);
  });
});
