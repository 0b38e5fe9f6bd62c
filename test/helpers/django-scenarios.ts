import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type Koa from 'koa';
import request from 'supertest';
import { sessionAuthHash } from 'django-session-bridge/django';
import { saltedHmac } from 'django-session-bridge/django';
import { SESSION_SALT, SIGNED_COOKIES_SALT } from 'django-session-bridge/django';
import { signObject } from 'django-session-bridge/django';
import { createFixture, SECRET_KEY, type Fixture } from './app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './django.ts';

const OLD_KEY = 'the-previous-secret-key-that-was-rotated-out-0123456789';

/**
 * What a visitor sees when Django changes something under them, through the HTTP layer and real PostgreSQL.
 * Django writes to its database directly; the service runs with `serviceEnv` added
 * to its environment (a pooler's DATABASE_URL, for instance).
 */
export function describeDjangoScenarios(title: string, serviceEnv: (databaseUrl: string) => Record<string, string> = () => ({})): void {
  describe(title, () => {
    let fixture: Fixture;
    let bob: number;
    const apps = new Map<string, { app: Koa }>();

    before(async () => {
      fixture = await createFixture();
      bob = await insertUser(fixture.django, { username: 'bob' });
    });
    after(() => fixture.close());

    async function me(cookie: string, env: Record<string, string> = {}): Promise<{ loggedIn: boolean; user: { username: string } | null }> {
      // One app per configuration, as a deployment has: through a session-mode pooler, every app's idle
      // connections hold server connections until the suite ends.
      const config = JSON.stringify(env);
      const { app } = apps.get(config) ?? fixture.app({ ...serviceEnv(fixture.database.url), ...env });
      apps.set(config, { app });
      return (await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${cookie}`).expect(200)).body;
    }

    async function loggedInKey(userId: number, key = SECRET_KEY): Promise<string> {
      const password = await userPassword(fixture.django, userId);
      return insertSession(fixture.django, encodeSession(loginSession(userId, password, key), key));
    }

    it('a logged-in session is logged in, with the username', async () => {
      const body = await me(await loggedInKey(bob));
      assert.equal(body.loggedIn, true);
      assert.equal(body.user?.username, 'bob');
    });

    it('an anonymous session row is not a login', async () => {
      const key = await insertSession(fixture.django, encodeSession({ cart: [1, 2], _language: 'fr' }, SECRET_KEY));
      assert.equal((await me(key)).loggedIn, false);
    });

    it('tampered session_data is not a login', async () => {
      const data = encodeSession(loginSession(bob, await userPassword(fixture.django, bob), SECRET_KEY), SECRET_KEY);
      const [payload, timestamp, signature] = data.split(':') as [string, string, string];
      const flip = (text: string) => text.slice(0, -2) + (text.at(-2) === 'A' ? 'B' : 'A') + text.slice(-1);
      for (const tampered of [`${flip(payload)}:${timestamp}:${signature}`, `${payload}:${flip(timestamp)}:${signature}`, `${payload}:${timestamp}:${flip(signature)}`]) {
        assert.equal((await me(await insertSession(fixture.django, tampered))).loggedIn, false);
      }
    });

    it('an expired row is not a login, even with a valid login inside', async () => {
      const data = encodeSession(loginSession(bob, await userPassword(fixture.django, bob), SECRET_KEY), SECRET_KEY);
      assert.equal((await me(await insertSession(fixture.django, data, new Date(Date.now() - 1)))).loggedIn, false);
    });

    it('changing the password logs the old session out', async () => {
      const carol = await insertUser(fixture.django, { username: 'carol' });
      const key = await loggedInKey(carol);
      assert.equal((await me(key)).loggedIn, true);
      await fixture.django.query("UPDATE auth_user SET password = 'pbkdf2_sha256$260000$new$changed=' WHERE id = $1", [carol]);
      assert.equal((await me(key)).loggedIn, false);
    });

    it('deactivating the user logs them out; reactivating brings the same session back', async () => {
      const dave = await insertUser(fixture.django, { username: 'dave' });
      const key = await loggedInKey(dave);
      await fixture.django.query('UPDATE auth_user SET is_active = false WHERE id = $1', [dave]);
      assert.equal((await me(key)).loggedIn, false);
      await fixture.django.query('UPDATE auth_user SET is_active = true WHERE id = $1', [dave]);
      assert.equal((await me(key)).loggedIn, true);
    });

    it('a deleted user is not logged in', async () => {
      const erin = await insertUser(fixture.django, { username: 'erin' });
      const key = await loggedInKey(erin);
      await fixture.django.query('DELETE FROM auth_user WHERE id = $1', [erin]);
      assert.equal((await me(key)).loggedIn, false);
    });

    it('key rotation: the old key in DJANGO_SECRET_KEY_FALLBACKS keeps users logged in; removing it logs them out', async () => {
      const key = await loggedInKey(bob, OLD_KEY);
      assert.equal((await me(key, { DJANGO_SECRET_KEY: OLD_KEY })).loggedIn, true, 'before the rotation');
      assert.equal((await me(key, { DJANGO_SECRET_KEY_FALLBACKS: OLD_KEY })).loggedIn, true, 'old key moved to fallbacks');
      assert.equal((await me(key, { DJANGO_SECRET_KEY_FALLBACKS: `another-key,${OLD_KEY}` })).loggedIn, true, 'second fallback');
      assert.equal((await me(key)).loggedIn, false, 'old key removed');
    });

    it('a session whose hash came from a different key than its signature still follows the hash rules', async () => {
      const password = await userPassword(fixture.django, bob);
      const data = signObject(
        { _auth_user_id: String(bob), _auth_user_backend: 'django.contrib.auth.backends.ModelBackend', _auth_user_hash: sessionAuthHash(password, OLD_KEY) },
        { key: SECRET_KEY, salt: SESSION_SALT, compress: true },
      );
      const key = await insertSession(fixture.django, data);
      assert.equal((await me(key)).loggedIn, false);
      assert.equal((await me(key, { DJANGO_SECRET_KEY_FALLBACKS: OLD_KEY })).loggedIn, true);
    });

    it('Django 3.2 rules read the pre-3.1 format; 4.0+ rules do not', async () => {
      const password = await userPassword(fixture.django, bob);
      const json = JSON.stringify(loginSession(bob, password, SECRET_KEY));
      const hash = saltedHmac('django.contrib.sessionsSessionStore', json, SECRET_KEY, 'sha1').toString('hex');
      const key = await insertSession(fixture.django, Buffer.from(`${hash}:${json}`).toString('base64'));
      assert.equal((await me(key, { DJANGO_VERSION: '3.2' })).loggedIn, true);
      assert.equal((await me(key, { DJANGO_VERSION: '4.2' })).loggedIn, false);
    });

    it('the signed_cookies engine reads the session from the cookie itself, within SESSION_COOKIE_AGE', async () => {
      const password = await userPassword(fixture.django, bob);
      const env = { DJANGO_SESSION_ENGINE: 'signed_cookies', SESSION_COOKIE_AGE: '3600' };
      const cookie = (timestamp: number) =>
        signObject(loginSession(bob, password, SECRET_KEY), { key: SECRET_KEY, salt: SIGNED_COOKIES_SALT, compress: true, timestamp });
      const now = Math.floor(Date.now() / 1000);
      assert.equal((await me(cookie(now - 60), env)).loggedIn, true);
      assert.equal((await me(cookie(now - 7200), env)).loggedIn, false, 'older than SESSION_COOKIE_AGE');
      assert.equal((await me(cookie(now - 60))).loggedIn, false, 'the db engine treats it as a malformed key');
    });

    it('the cached_db engine reads the table like db', async () => {
      assert.equal((await me(await loggedInKey(bob), { DJANGO_SESSION_ENGINE: 'cached_db' })).loggedIn, true);
    });
  });
}
