import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { makePassword, passwordHashers } from 'django-session-bridge/django';
import { createPostgresWriteRole, type WriteRole } from '../helpers/write-role.ts';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession } from '../helpers/django.ts';


async function pageTimes(app: ReturnType<Fixture['app']>['app'], cookie: string, until: () => boolean, atLeast: number): Promise<number[]> {
  const times: number[] = [];
  while (times.length < atLeast || !until()) {
    const started = performance.now();
    const res = await request(app.callback()).get('/elixir/api/me').set('Cookie', cookie).expect(200);
    assert.equal(res.body.loggedIn, true);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

describe('a flood of log-in POSTs at Django 5.2\'s 1,000,000 iterations does not stall other visitors\' pages', () => {
  let fixture: Fixture;
  let env: Record<string, string>;
  let cookie: string;
  let role: WriteRole;

  before(async () => {
    fixture = await createFixture();
    role = await createPostgresWriteRole(fixture.database);
    const hash = await makePassword('victim-pw', passwordHashers({ djangoVersion: '5.2' }));
    const victim = await insertUser(fixture.django, { username: 'victim', password: hash });
    const reader = await insertUser(fixture.django, { username: 'reader' });
    const readerHash = (await fixture.django.query<{ password: string }>('SELECT password FROM auth_user WHERE id = $1', [reader])).rows[0]!.password;
    cookie = `sessionid=${await insertSession(fixture.django, encodeSession(loginSession(reader, readerHash, SECRET_KEY), SECRET_KEY))}`;
    assert.ok(victim);
    env = { DATABASE_WRITE_URL: role.url, DJANGO_VERSION: '5.2' };
  });
  after(async () => {
    await fixture.close();
    await role?.drop();
  });

  it('pages answer during 16 concurrent wrong-password log-ins about as fast as without them (measured)', { timeout: 120_000 }, async () => {
    const { app } = fixture.app(env);
    const page = await request(app.callback()).get('/elixir/accounts/login/').expect(200);
    const csrf = String(page.headers['set-cookie']).split(';')[0]!;
    const token = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/.exec(page.text)![1]!;

    const quiet = await pageTimes(app, cookie, () => true, 40);
    let done = false;
    const started = performance.now();
    const flood = Promise.all(Array.from({ length: 16 }, () => request(app.callback()).post('/elixir/accounts/login/').set('Cookie', csrf).type('form')
      .send({ csrfmiddlewaretoken: token, username: 'victim', password: 'wrong' }).expect(200))).then(() => {
      done = true;
    });
    const busy = await pageTimes(app, cookie, () => done, 40);
    await flood;
    const floodMs = performance.now() - started;
    const p = (times: number[], q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!;
    console.log(`# pages without the flood: median ${p(quiet, 0.5).toFixed(1)} ms, p95 ${p(quiet, 0.95).toFixed(1)} ms; during 16 log-ins (${floodMs.toFixed(0)} ms): median ${p(busy, 0.5).toFixed(1)} ms, p95 ${p(busy, 0.95).toFixed(1)} ms, max ${busy.at(-1)!.toFixed(1)} ms over ${busy.length} pages`);
    // Generous: the hashing runs on the thread pool, so a page never waits for a whole hash (~0.5 s each).
    assert.ok(p(busy, 0.95) < Math.max(500, 10 * p(quiet, 0.95)), `p95 during the flood ${p(busy, 0.95).toFixed(1)} ms`);
  });
});
