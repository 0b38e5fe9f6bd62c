import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { SIGNED_COOKIES_SALT } from 'django-session-bridge/django';
import type { Reason } from 'django-session-bridge/django';
import { b62Encode } from 'django-session-bridge/django';
import { createFixture, SECRET_KEY, type Fixture, type TestApp } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, MODEL_BACKEND, newSessionKey, userPassword } from './helpers/django.ts';
import { signPayload, signValue, zipBomb } from './helpers/forge.ts';

const now = () => b62Encode(Math.floor(Date.now() / 1000));
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'latin1');
/** A header value carrying these characters as UTF-8, the way a browser sends them. */
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('bad input: always 200 "Not Logged In", never a 5xx', () => {
  let fixture: Fixture;
  let built: TestApp;
  let aliceId: number;
  let aliceHash: string;
  let aliceKey: string;

  before(async () => {
    fixture = await createFixture();
    aliceId = await insertUser(fixture.django, { username: 'alice' });
    const session = loginSession(aliceId, await userPassword(fixture.django, aliceId), SECRET_KEY);
    aliceHash = session._auth_user_hash as string;
    aliceKey = await insertSession(fixture.django, encodeSession(session, SECRET_KEY));
    built = fixture.app();
  });
  after(() => fixture.close());

  /** Requests the page and the API with these Cookie headers; returns how the visits were counted. */
  async function assertNotLoggedIn(cookies: string | string[] | undefined, app = built): Promise<Reason[]> {
    const before = app.counters.snapshot().verdicts;
    for (const path of ['/elixir/', '/elixir/api/me']) {
      const req = request(app.app.callback()).get(path);
      if (cookies !== undefined) req.set('Cookie', [cookies].flat());
      const res = await req;
      assert.equal(res.status, 200, `${path} with ${JSON.stringify(cookies)?.slice(0, 120)}`);
      if (path === '/elixir/') {
        assert.match(res.text, /Not Logged In/);
        assert.doesNotMatch(res.text, /Logged In!/);
      } else {
        assert.deepEqual(res.body, { loggedIn: false, user: null });
      }
    }
    const after = app.counters.snapshot().verdicts;
    return (Object.keys(after) as Reason[]).filter((reason) => after[reason] !== before[reason]);
  }

  async function assertRefusedData(sessionData: string, reason: Reason): Promise<void> {
    const key = await insertSession(fixture.django, sessionData);
    assert.deepEqual(await assertNotLoggedIn(`sessionid=${key}`), [reason], `session_data ${sessionData.slice(0, 60)}`);
  }

  describe('cookies', () => {
    it('SQL fragments are never queried, and the tables are untouched', async () => {
      const { rows: [before] } = await fixture.django.query('SELECT count(*) FROM django_session');
      for (const value of [
        "' OR '1'='1",
        "x'; DROP TABLE django_session; --",
        `${aliceKey}' OR 1=1 --`,
        `${aliceKey}'--`,
        '1 UNION SELECT password FROM auth_user',
        'abcdefgh12345678);DELETE FROM auth_user;--',
      ]) {
        assert.deepEqual(await assertNotLoggedIn(`sessionid=${value}`), ['malformed_key'], value);
      }
      const { rows: [after] } = await fixture.django.query('SELECT count(*) FROM django_session');
      assert.deepEqual(after, before);
    });

    it('8 KB values, and an 8 KB header of other cookies', async () => {
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${'a'.repeat(8192)}`), ['malformed_key']);
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${'%00'.repeat(2731)}`), ['malformed_key']);
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${aliceKey}${'0'.repeat(8192)}`), ['malformed_key']);
      const many = Array.from({ length: 400 }, (_, i) => `c${i}=${'x'.repeat(16)}`).join('; ');
      assert.ok(many.length >= 8192);
      assert.deepEqual(await assertNotLoggedIn(many), ['no_cookie']);
    });

    it('a Cookie header past Node\'s 16 KB header limit is refused by Node with a 431, not a 5xx', async () => {
      const res = await request(built.app.callback()).get('/elixir/').set('Cookie', `sessionid=${'a'.repeat(20_000)}`);
      assert.equal(res.status, 431);
    });

    it('non-ASCII values', async () => {
      for (const value of [utf8('café'), utf8('日本語のセッション'), utf8('😀😀😀😀😀😀😀😀'), '\u00ff\u00fe\u00fd\u00fc\u00fb\u00fa\u00f9\u00f8', utf8(`${aliceKey.slice(0, -1)}é`)]) {
        assert.deepEqual(await assertNotLoggedIn(`sessionid=${value}`), ['malformed_key'], value);
      }
    });

    it('empty values and empty headers', async () => {
      for (const header of [undefined, '', 'sessionid=', 'sessionid', 'sessionid=""', '=', ';;;', ' ; sessionid = ; ', 'sessionid=;other=1']) {
        assert.deepEqual(await assertNotLoggedIn(header), ['no_cookie'], JSON.stringify(header));
      }
    });

    it('duplicated Cookie headers and duplicated names: a login followed by garbage is not a login', async () => {
      assert.deepEqual(await assertNotLoggedIn(['sessionid=garbage', "sessionid=' OR 1=1"]), ['malformed_key']);
      assert.deepEqual(await assertNotLoggedIn([`sessionid=${aliceKey}`, 'sessionid=']), ['no_cookie']);
      assert.deepEqual(await assertNotLoggedIn([`sessionid=${aliceKey}`, `sessionid=${newSessionKey()}`]), ['no_row']);
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${aliceKey}; sessionid=${aliceKey.toUpperCase()}`), ['malformed_key']);
    });
  });

  describe('session_data', () => {
    const login = () => ({ _auth_user_id: String(aliceId), _auth_user_backend: MODEL_BACKEND, _auth_user_hash: aliceHash });

    it('truncated anywhere', async () => {
      const data = encodeSession(login(), SECRET_KEY);
      for (const length of [0, 1, 10, data.length / 2, data.indexOf(':'), data.lastIndexOf(':') + 1, data.length - 1]) {
        await assertRefusedData(data.slice(0, Math.floor(length)), 'bad_signature');
      }
    });

    it('not base64, under a valid signature', async () => {
      await assertRefusedData(signValue(`abcde:${now()}`, { key: SECRET_KEY }), 'bad_base64');
      await assertRefusedData(signValue(`.abcde:${now()}`, { key: SECRET_KEY }), 'bad_base64');
      await assertRefusedData(signValue(`eyJ4IjoxfQé:${now()}`, { key: SECRET_KEY }), 'bad_base64');
    });

    it('not zlib, or truncated zlib, under a valid signature', async () => {
      await assertRefusedData(signPayload(Buffer.from('not zlib at all'), { key: SECRET_KEY, compressed: true }), 'bad_zlib');
      const deflated = deflateSync(json({ ...login(), pad: 'x'.repeat(200) }));
      await assertRefusedData(signPayload(deflated.subarray(0, deflated.length - 8), { key: SECRET_KEY, compressed: true }), 'bad_zlib');
    });

    it('a zip bomb (half a MB that inflates to 512 MB) is too_large (test/django/zip-bomb.test.ts times the decoder)', async () => {
      const data = signPayload(zipBomb(512), { key: SECRET_KEY, compressed: true });
      assert.ok(data.length < 1024 * 1024);
      const key = await insertSession(fixture.django, data);
      const started = performance.now();
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${key}`), ['too_large']);
      console.log(`# zip bomb refused twice over HTTP in ${(performance.now() - started).toFixed(0)} ms`);
    });

    it('an uncompressed session over SESSION_MAX_BYTES is too_large', async () => {
      const small = fixture.app({ SESSION_MAX_BYTES: '4096' });
      const key = await insertSession(fixture.django, signPayload(json({ ...login(), pad: 'x'.repeat(5000) }), { key: SECRET_KEY }));
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${key}`, small), ['too_large']);
    });

    it('a valid signature over something that is not JSON', async () => {
      for (const payload of ['hello', '{"_auth_user_id": "1",', "{'_auth_user_id': '1'}", '', '\u00ff\u00fe']) {
        await assertRefusedData(signPayload(Buffer.from(payload, 'latin1'), { key: SECRET_KEY }), 'not_json');
      }
      await assertRefusedData(signPayload(deflateSync('not json, compressed'), { key: SECRET_KEY, compressed: true }), 'not_json');
    });

    it('a pickle is refused, never unpickled', async () => {
      const pickle = Buffer.from('80049525000000000000007d94288c0d5f617574685f757365725f6964948c01319475732e', 'hex');
      await assertRefusedData(signPayload(pickle, { key: SECRET_KEY }), 'pickled');
    });

    it('JSON that is not an object', async () => {
      for (const value of [[], [login()], 'a string', 42, null, true]) {
        await assertRefusedData(signPayload(json(value), { key: SECRET_KEY }), 'not_object');
      }
    });

    it('wrong types for _auth_user_id, even with the right backend and hash', async () => {
      for (const id of [[aliceId], { id: aliceId }, 'abc', '', ' ', '1.0', '0x1', '1e3', `${aliceId} ${aliceId}`, `${aliceId}__0`]) {
        await assertRefusedData(encodeSession({ ...login(), _auth_user_id: id }, SECRET_KEY), 'bad_user_id');
      }
    });

    it('ids with no such user, including ids no database column can hold', async () => {
      for (const id of ['999999', '-1', '0', '9'.repeat(30), `-${'9'.repeat(30)}`, null]) {
        await assertRefusedData(encodeSession({ ...login(), _auth_user_id: id }, SECRET_KEY), 'no_user');
      }
    });

    it('wrong types for the backend and the hash', async () => {
      for (const backend of [42, null, [MODEL_BACKEND], { MODEL_BACKEND }, MODEL_BACKEND.toUpperCase()]) {
        await assertRefusedData(encodeSession({ ...login(), _auth_user_backend: backend }, SECRET_KEY), 'backend_not_allowed');
      }
      for (const hash of [null, '', 0, [], {}, false]) {
        await assertRefusedData(encodeSession({ ...login(), _auth_user_hash: hash }, SECRET_KEY), 'no_hash');
      }
      for (const hash of [42, [aliceHash], { aliceHash }, true, aliceHash.toUpperCase(), ` ${aliceHash}`]) {
        await assertRefusedData(encodeSession({ ...login(), _auth_user_hash: hash }, SECRET_KEY), 'hash_mismatch');
      }
    });

    it('the same cookie is logged in once the data is right (the cases above fail for their stated reason only)', async () => {
      const res = await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(200);
      assert.equal(res.body.loggedIn, true);
    });
  });

  describe('signed_cookies engine: the cookie is the session', () => {
    const sign = (payload: Buffer, compressed = false) => signPayload(payload, { key: SECRET_KEY, salt: SIGNED_COOKIES_SALT, compressed });

    it('refuses bad payloads carried in the cookie itself', async () => {
      const app = fixture.app({ DJANGO_SESSION_ENGINE: 'signed_cookies' });
      const login = { _auth_user_id: String(aliceId), _auth_user_backend: MODEL_BACKEND, _auth_user_hash: aliceHash };
      const cases: [string, Reason][] = [
        [sign(Buffer.from('not json')), 'not_json'],
        [sign(json([1, 2])), 'not_object'],
        [sign(json({ ...login, _auth_user_id: ['1'] })), 'bad_user_id'],
        [sign(Buffer.from('not zlib'), true), 'bad_zlib'],
        [signValue(`abcde:${now()}`, { key: SECRET_KEY, salt: SIGNED_COOKIES_SALT }), 'bad_base64'],
        [sign(json(login)).slice(0, -1), 'bad_signature'],
        [signPayload(json(login), { key: SECRET_KEY }), 'bad_signature'],
      ];
      for (const [cookie, reason] of cases) assert.deepEqual(await assertNotLoggedIn(`sessionid=${cookie}`, app), [reason], cookie);
    });

    it('a zip bomb that fits in a cookie (10 KB inflating to 10 MB) is too_large', async () => {
      const app = fixture.app({ DJANGO_SESSION_ENGINE: 'signed_cookies' });
      const cookie = sign(zipBomb(10), true);
      assert.ok(cookie.length < 16_000);
      assert.deepEqual(await assertNotLoggedIn(`sessionid=${cookie}`, app), ['too_large']);
    });
  });
});
