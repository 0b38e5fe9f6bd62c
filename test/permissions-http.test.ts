import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFixture, SECRET_KEY, type Fixture, type TestApp } from './helpers/app.ts';
import { atLeast } from './helpers/at-least.ts';
import { encodeSession, insertSession, loginSession } from './helpers/django.ts';
import { insertPermissionRows, loadPermissionVectors, PERMISSION_VECTOR_FILES, vectorUser, type PermissionCase } from './helpers/permission-vectors.ts';
import { logQueries } from './helpers/query-count.ts';

const PASSWORD = 'pbkdf2_sha256$260000$permissions$vectors=';

// Every permission vector over HTTP: Django's rows in PostgreSQL, a session as Django's login() leaves it,
// the service configured with the same AUTHENTICATION_BACKENDS, /api/me compared with Django's answers.
// BaseBackend cases stay with the unit tests: Django's BaseBackend.get_user() returns None, so no session
// naming it is a log-in in Django, and the service assumes every configured backend reads the user table.
for (const file of PERMISSION_VECTOR_FILES) {
  const vectors = loadPermissionVectors(file);
  const cases = atLeast(35, vectors.cases.filter((c) => !c.session_backend.endsWith('.BaseBackend')), 'permission cases a backend logs in with');

  describe(`Django ${vectors.django_version} permission vectors over HTTP`, () => {
    let fixture: Fixture;
    const apps = new Map<string, TestApp>();
    before(async () => {
      fixture = await createFixture();
      await insertPermissionRows(fixture.django, vectors, PASSWORD);
    });
    after(() => fixture.close());

    function appFor(backends: string[], store = 'sql'): TestApp {
      const id = `${store} ${backends.join(',')}`;
      // Counts and answers are the point here, not timing: a generous deadline keeps a busy CI machine (and
      // Prisma's first query in the process) from turning a lookup into a 503.
      const env = { DJANGO_VERSION: vectors.django_version, DJANGO_AUTHENTICATION_BACKENDS: JSON.stringify(backends), SESSION_STORE: store, DB_TIMEOUT_MS: '10000' };
      const built = apps.get(id) ?? fixture.app(env);
      apps.set(id, built);
      return built;
    }

    async function cookieFor(c: PermissionCase): Promise<string> {
      const session = loginSession(vectorUser(vectors, c.username).id, PASSWORD, SECRET_KEY, c.session_backend);
      return `sessionid=${await insertSession(fixture.django, encodeSession(session, SECRET_KEY))}`;
    }

    it(`/api/me gives Django's permissions and groups for all ${cases.length} logged-in or refused users`, async () => {
      for (const c of cases) {
        const where = `${c.username} with ${c.authentication_backends.join(', ')}`;
        const { body } = await request(appFor(c.authentication_backends).app.callback()).get('/elixir/api/me').set('Cookie', await cookieFor(c)).expect(200);
        assert.equal(body.loggedIn, c.logged_in, where);
        if (!c.logged_in) {
          assert.equal(body.user, null, `an anonymous visitor has no permissions: ${where}`);
          continue;
        }
        assert.deepEqual(body.user.permissions, c.answers.get_all_permissions, where);
        assert.deepEqual(body.user.groups, c.answers.groups, where);
      }
    });

    for (const store of ['sql', 'prisma']) {
      it(`costs nothing on a page that does not ask, one query on one that does (${store} store)`, async () => {
        const c = cases.find((each) => each.username === 'both') as PermissionCase;
        const built = appFor(c.authentication_backends, store);
        const queries = logQueries(built.db.pool);
        const cookie = await cookieFor(c);
        await request(built.app.callback()).get('/elixir/').set('Cookie', cookie).expect(200);
        assert.equal(queries.texts.length, 2, 'the session and the user');
        queries.reset();
        await request(built.app.callback()).get('/elixir/api/me').set('Cookie', cookie).expect(200);
        assert.equal(queries.texts.length, 3, 'the session, the user, and groups with permissions together');
        queries.reset();
        await request(built.app.callback()).get('/elixir/api/me').expect(200);
        assert.equal(queries.texts.length, 0, 'an anonymous visitor costs nothing');
      });
    }
  });
}
