import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { sessionAuthHash } from 'django-session-bridge/django';
import { createFixture, SECRET_KEY, type Fixture, type TestApp } from './helpers/app.ts';
import { insertSession, insertUser, MODEL_BACKEND, userPassword } from './helpers/django.ts';
import { signPayload } from './helpers/forge.ts';

// A header carries Latin-1: of the characters str.strip() and trim() disagree on, U+0085 is the one a
// client can send (U+001C..U+001F are controls Node refuses in a header, U+FEFF is past Latin-1).
describe('the session cookie is stripped as parse_cookie() strips it, over HTTP', () => {
  let fixture: Fixture;
  let built: TestApp;
  let key: string;
  let aliceId: number;

  before(async () => {
    fixture = await createFixture();
    aliceId = await insertUser(fixture.django, { username: 'alice' });
    const session = { _auth_user_id: String(aliceId), _auth_user_backend: MODEL_BACKEND, _auth_user_hash: sessionAuthHash(await userPassword(fixture.django, aliceId), SECRET_KEY) };
    key = await insertSession(fixture.django, signPayload(deflateSync(JSON.stringify(session)), { key: SECRET_KEY, compressed: true }));
    built = fixture.app();
  });
  after(() => fixture.close());

  async function me(cookie: string): Promise<{ loggedIn: boolean; user: { id: number } | null }> {
    return (await request(built.app.callback()).get('/elixir/api/me').set('Cookie', cookie).expect(200)).body;
  }

  it('U+0085 and U+00A0 around the session key: Django strips them and logs alice in', async () => {
    for (const cookie of [`sessionid=\x85${key}\x85`, `sessionid=\xa0${key}\x85\xa0`, `\x85sessionid\x85=${key}`]) {
      const body = await me(cookie);
      assert.equal(body.loggedIn, true, JSON.stringify(cookie));
      assert.equal(body.user?.id, aliceId);
    }
  });
});
