import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { saltedHmac } from 'django-session-bridge/django';
import { appOn, mariadbDjangoDb, sqliteDjangoDb, type DatabaseApp, type DjangoDb } from '../helpers/django-databases.ts';
import { SECRET_KEY } from '../helpers/app.ts';
import { encodeSession, loginSession } from '../helpers/django.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';
import { loadVectors, VECTOR_FILES } from '../helpers/vectors.ts';

const OLD_KEY = 'the-previous-secret-key-that-was-rotated-out-0123456789';

interface Me {
  loggedIn: boolean;
  user: { id: number; username: string } | null;
}

/**
 * Django's verdicts on MySQL/MariaDB and SQLite, as on PostgreSQL (test/vectors-http.test.ts and
 * test/django-scenarios.test.ts): every golden vector, and what a visitor sees when Django changes something
 * under them, through HTTP with both stores.
 */
function verdicts(openDjango: () => Promise<DjangoDb>): void {
  let django: DjangoDb;
  const apps = new Map<string, DatabaseApp>();
  before(async () => {
    django = await openDjango();
  });
  after(async () => {
    await Promise.all([...apps.values()].map((app) => app.close()));
    await django?.close();
  });

  async function me(cookie: string, env: Record<string, string> = {}): Promise<Me> {
    const id = JSON.stringify(env);
    const built = apps.get(id) ?? await appOn(django.url, env);
    apps.set(id, built);
    return (await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${cookie}`).expect(200)).body as Me;
  }

  for (const store of ['sql', 'prisma']) {
    for (const file of VECTOR_FILES) {
      const vectors = loadVectors(file);
      it(`every Django ${vectors.django_version} vector decision matches Django's (${store} store)`, async () => {
        for (const c of vectors.session_cases) {
          await django.deleteUsers();
          for (const u of c.users) {
            await django.insertUser({ id: u.id, username: u.username, password: u.password, isActive: u.is_active, isStaff: u.is_staff, isSuperuser: u.is_superuser, firstName: u.first_name, lastName: u.last_name, email: u.email });
          }
          const body = await me(await django.insertSession(c.session_data), {
            SESSION_STORE: store,
            DJANGO_VERSION: vectors.django_version,
            DJANGO_SECRET_KEY: c.settings.secret_key,
            DJANGO_SECRET_KEY_FALLBACKS: JSON.stringify(c.settings.secret_key_fallbacks),
            DJANGO_AUTHENTICATION_BACKENDS: JSON.stringify(c.settings.authentication_backends),
          });
          assert.equal(body.loggedIn, c.expected.authenticated, c.name);
          assert.equal(body.user?.id ?? null, c.expected.authenticated ? c.expected.user_id : null, c.name);
        }
      });
    }

    describe(`Django scenarios over HTTP (${store} store)`, () => {
      const env = { SESSION_STORE: store };
      let bob: number;
      const loggedInKey = async (userId: number, key = SECRET_KEY) =>
        django.insertSession(encodeSession(loginSession(userId, await django.userPassword(userId), key), key));
      before(async () => {
        await django.deleteUsers();
        bob = await django.insertUser({ username: `bob-${store}` });
      });

      it('logged in, with the username; an anonymous row is not a login', async () => {
        const body = await me(await loggedInKey(bob), env);
        assert.equal(body.loggedIn, true);
        assert.equal(body.user?.username, `bob-${store}`);
        assert.equal((await me(await django.insertSession(encodeSession({ cart: [1, 2] }, SECRET_KEY)), env)).loggedIn, false);
      });

      it('tampered session_data is not a login', async () => {
        const data = encodeSession(loginSession(bob, await django.userPassword(bob), SECRET_KEY), SECRET_KEY);
        const tampered = `${data.slice(0, -3)}${data.at(-3) === 'A' ? 'B' : 'A'}${data.slice(-2)}`;
        assert.equal((await me(await django.insertSession(tampered), env)).loggedIn, false);
      });

      it('an expired row is not a login, even with a valid login inside', async () => {
        const data = encodeSession(loginSession(bob, await django.userPassword(bob), SECRET_KEY), SECRET_KEY);
        assert.equal((await me(await django.insertSession(data, new Date(Date.now() - 1000)), env)).loggedIn, false);
      });

      it('a password change, deactivation or deletion logs the session out', async () => {
        const carol = await django.insertUser({ username: `carol-${store}` });
        const key = await loggedInKey(carol);
        assert.equal((await me(key, env)).loggedIn, true);
        await django.updateUser(carol, { isActive: false });
        assert.equal((await me(key, env)).loggedIn, false, 'inactive');
        await django.updateUser(carol, { isActive: true });
        assert.equal((await me(key, env)).loggedIn, true, 'active again');
        await django.updateUser(carol, { password: 'pbkdf2_sha256$260000$new$changed=' });
        assert.equal((await me(key, env)).loggedIn, false, 'password changed');
        const dave = await django.insertUser({ username: `dave-${store}` });
        const daveKey = await loggedInKey(dave);
        await django.deleteUsers(dave);
        assert.equal((await me(daveKey, env)).loggedIn, false, 'deleted');
      });

      it('key rotation: the old key in DJANGO_SECRET_KEY_FALLBACKS keeps users logged in; removing it logs them out', async () => {
        const key = await loggedInKey(bob, OLD_KEY);
        assert.equal((await me(key, { ...env, DJANGO_SECRET_KEY_FALLBACKS: OLD_KEY })).loggedIn, true);
        assert.equal((await me(key, env)).loggedIn, false);
      });

      it('Django 3.2 rules read the pre-3.1 format; 4.0+ rules do not', async () => {
        const json = JSON.stringify(loginSession(bob, await django.userPassword(bob), SECRET_KEY));
        const hash = saltedHmac('django.contrib.sessionsSessionStore', json, SECRET_KEY, 'sha1').toString('hex');
        const key = await django.insertSession(Buffer.from(`${hash}:${json}`).toString('base64'));
        assert.equal((await me(key, { ...env, DJANGO_VERSION: '3.2' })).loggedIn, true);
        assert.equal((await me(key, { ...env, DJANGO_VERSION: '4.2' })).loggedIn, false);
      });
    });
  }
}

describe('Django\'s verdicts on SQLite', () => {
  verdicts(() => sqliteDjangoDb('delete'));
});

mariadbSuite('Django\'s verdicts on MariaDB', (server) => {
  verdicts(() => mariadbDjangoDb(server()));
});
