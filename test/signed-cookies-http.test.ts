import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createDatabase, type Database } from '../src/db.ts';
import { createLogger } from '../src/logger.ts';
import { createAuthenticate } from 'django-session-bridge';
import { storeFromConfig } from '../src/sessions/from-config.ts';
import { createFixture, testConfig, type Fixture } from './helpers/app.ts';
import { loadVectors, replaceUsers, VECTOR_FILES, type CookieCase } from './helpers/vectors.ts';

// Every signed_cookies session Django judged, replayed through HTTP with the service's clock set to the
// "now" Django's signing clock was frozen at (the cookie's max age is checked against it), users in PostgreSQL.
for (const file of VECTOR_FILES) {
  const vectors = loadVectors(file);

  for (const store of ['sql', 'prisma']) {
    describe(`Django ${vectors.django_version} signed_cookies vectors over HTTP (${store} store)`, () => {
      let fixture: Fixture;
      const databases: Database[] = [];
      before(async () => {
        fixture = await createFixture();
      });
      after(async () => {
        await Promise.all(databases.map((db) => db.close()));
        await fixture.close();
      });

      async function replay(c: CookieCase): Promise<{ loggedIn: boolean; user: { id: number } | null }> {
        const { django } = fixture;
        await replaceUsers(django, c.users);
        const config = testConfig(fixture.database.url, {
          SESSION_STORE: store,
          DJANGO_SESSION_ENGINE: 'signed_cookies',
          DJANGO_VERSION: vectors.django_version,
          DJANGO_SECRET_KEY: c.settings.secret_key,
          DJANGO_SECRET_KEY_FALLBACKS: JSON.stringify(c.settings.secret_key_fallbacks),
          DJANGO_AUTHENTICATION_BACKENDS: JSON.stringify(c.settings.authentication_backends),
          SESSION_COOKIE_AGE: String(c.settings.session_cookie_age),
        });
        const db = createDatabase({ url: fixture.database.url, poolMax: 2, timeoutMs: config.dbTimeoutMs });
        databases.push(db);
        const authenticate = createAuthenticate({
          store: storeFromConfig(config, db),
          settings: config.django,
          engine: config.sessionEngine,
          now: () => new Date(c.now * 1000),
        });
        const app = createApp({ config, db, logger: createLogger('silent'), lookups: authenticate });
        return (await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${c.cookie}`).expect(200)).body;
      }

      it(`every one of the ${vectors.signed_cookie_cases.length} decisions matches Django's`, async () => {
        assert.equal(vectors.signed_cookie_cases.length, 23);
        for (const c of vectors.signed_cookie_cases) {
          const body = await replay(c);
          assert.equal(body.loggedIn, c.expected.authenticated, c.name);
          assert.equal(body.user?.id ?? null, c.expected.authenticated ? c.expected.user_id : null, c.name);
        }
      });
    });
  }
}
