import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFixture, type Fixture, type TestApp } from './app.ts';
import { insertSession } from './django.ts';
import { loadVectors, replaceUsers, VECTOR_FILES, type SessionCase } from './vectors.ts';

/**
 * Every session Django judged, replayed through HTTP against real PostgreSQL with both stores: the row and
 * the users exactly as in Django's database, the service configured like that Django and reading with
 * `serviceEnv` added to its environment (a pooler's DATABASE_URL, for instance).
 */
export function describeVectorReplay(suffix = '', serviceEnv: (databaseUrl: string) => Record<string, string> = () => ({})): void {
for (const file of VECTOR_FILES) {
  const vectors = loadVectors(file);

  for (const store of ['sql', 'prisma']) {
    describe(`Django ${vectors.django_version} vectors over HTTP (${store} store)${suffix}`, () => {
      let fixture: Fixture;
      const apps = new Map<string, TestApp>();
      before(async () => {
        fixture = await createFixture();
      });
      after(() => fixture.close());

      async function replay(c: SessionCase): Promise<{ loggedIn: boolean; user: { id: number } | null }> {
        const { django } = fixture;
        await replaceUsers(django, c.users);
        const key = await insertSession(django, c.session_data);
        const env = {
          ...serviceEnv(fixture.database.url),
          SESSION_STORE: store,
          DJANGO_VERSION: vectors.django_version,
          DJANGO_SECRET_KEY: c.settings.secret_key,
          DJANGO_SECRET_KEY_FALLBACKS: JSON.stringify(c.settings.secret_key_fallbacks),
          DJANGO_AUTHENTICATION_BACKENDS: JSON.stringify(c.settings.authentication_backends),
        };
        const id = JSON.stringify(env);
        const built = apps.get(id) ?? fixture.app(env);
        apps.set(id, built);
        return (await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${key}`).expect(200)).body;
      }

      it(`every one of the ${vectors.session_cases.length} decisions matches Django's`, async () => {
        for (const c of vectors.session_cases) {
          const body = await replay(c);
          assert.equal(body.loggedIn, c.expected.authenticated, c.name);
          assert.equal(body.user?.id ?? null, c.expected.authenticated ? c.expected.user_id : null, c.name);
        }
      });
    });
  }
}
}
