import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger, keyHash } from '../src/logger.ts';
import { createFixture, LogCapture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';
import { signPayload, zipBomb } from './helpers/forge.ts';

interface RequestLine {
  level: number;
  msg: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  session: string | null;
  reason?: string;
}

const DEAD_DATABASE = 'postgresql://postgres@127.0.0.1:1/none';

describe('logs: structured, with a short hash of the session key, never the key, the data or the secret', () => {
  let fixture: Fixture;
  /** Everything no log line may ever contain. */
  const secrets: string[] = [SECRET_KEY];
  let aliceKey: string;
  let aliceData: string;

  before(async () => {
    fixture = await createFixture();
    const alice = await insertUser(fixture.django, { username: 'alice' });
    const password = await userPassword(fixture.django, alice);
    const session = loginSession(alice, password, SECRET_KEY);
    aliceData = encodeSession(session, SECRET_KEY);
    aliceKey = await insertSession(fixture.django, aliceData);
    secrets.push(aliceKey, aliceData, password, session._auth_user_hash as string);
  });
  after(() => fixture.close());

  function assertNoSecrets(capture: LogCapture): void {
    assert.ok(capture.lines.length > 0);
    for (const secret of secrets) {
      assert.ok(!capture.text.includes(secret), `a log line contains ${secret.slice(0, 12)}…`);
      // A hash of the key is fine; the key's own leading characters are not.
      assert.ok(!capture.text.includes(secret.slice(0, 16)), `a log line contains the start of ${secret.slice(0, 12)}…`);
    }
  }

  function requestLines(capture: LogCapture): RequestLine[] {
    return capture.lines.map((line) => JSON.parse(line) as RequestLine).filter((line) => line.msg === 'request' || line.msg === 'request failed');
  }

  it('every request is one JSON line with request id, method, path, status, duration and the key\'s hash', async () => {
    const capture = new LogCapture();
    const { app } = fixture.app({}, createLogger('trace', capture));
    await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).set('X-Request-Id', 'req-123').expect(200);
    await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    await request(app.callback()).get('/elixir/api/me').expect(200);

    for (const line of capture.lines) assert.doesNotThrow(() => JSON.parse(line), line);
    const [page, api, anonymous] = requestLines(capture);
    assert.deepEqual({ ...page, durationMs: 0 }, { ...page, requestId: 'req-123', method: 'GET', path: '/elixir/', status: 200, durationMs: 0, session: keyHash(aliceKey) });
    assert.equal(typeof page?.durationMs, 'number');
    assert.equal(api?.session, keyHash(aliceKey));
    assert.match(api?.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(anonymous?.session, null);
    assert.equal(keyHash(aliceKey).length, 12);
    assert.ok(capture.text.includes(keyHash(aliceKey)));
    assertNoSecrets(capture);
  });

  it('debug adds each verdict\'s reason, and still nothing secret', async () => {
    const capture = new LogCapture();
    const { app } = fixture.app({}, createLogger('debug', capture));
    const anonymousKey = await insertSession(fixture.django, encodeSession({ cart: [1] }, SECRET_KEY));
    const bombKey = await insertSession(fixture.django, signPayload(zipBomb(16), { key: SECRET_KEY, compressed: true }));
    const tamperedKey = await insertSession(fixture.django, aliceData.slice(0, -1) + (aliceData.endsWith('A') ? 'B' : 'A'));
    secrets.push(anonymousKey, bombKey, tamperedKey);
    for (const key of [aliceKey, anonymousKey, bombKey, tamperedKey, 'not-a-key', aliceKey.toUpperCase()]) {
      await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${key}`).expect(200);
    }
    const reasons = capture.lines.map((line) => JSON.parse(line) as RequestLine).filter((line) => line.msg === 'verdict').map((line) => line.reason);
    assert.deepEqual(reasons, ['logged_in', 'anonymous', 'too_large', 'bad_signature', 'malformed_key', 'malformed_key']);
    assertNoSecrets(capture);
  });

  for (const store of ['sql', 'prisma']) {
    it(`database errors (${store} store: down, and a statement timeout) log the cause, not the key`, async () => {
      const capture = new LogCapture();
      const down = fixture.app({ DATABASE_URL: DEAD_DATABASE, DB_TIMEOUT_MS: '300', SESSION_STORE: store }, createLogger('trace', capture));
      await request(down.app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(503);
      await request(down.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(503);

      const slow = fixture.app({ DB_TIMEOUT_MS: '300', SESSION_STORE: store }, createLogger('trace', capture));
      const locker = await fixture.django.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE');
        await request(slow.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${aliceKey}`).expect(503);
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }

      const failures = capture.lines.map((line) => JSON.parse(line) as { msg: string; err?: { message?: string } }).filter((line) => line.msg === 'database unavailable');
      assert.equal(failures.length, 3);
      for (const failure of failures) assert.ok(failure.err?.message, 'the cause is logged');
      assert.deepEqual(requestLines(capture).map((line) => [line.status, line.session]), Array(3).fill([503, keyHash(aliceKey)]));
      assertNoSecrets(capture);
    });
  }

  it('the logger redacts a cookie header, session data and the secret if code ever logs them', () => {
    const capture = new LogCapture();
    const logger = createLogger('trace', capture);
    logger.info({ req: { headers: { cookie: `sessionid=${aliceKey}` } } }, 'careless');
    logger.info({ request: { cookie: `sessionid=${aliceKey}` }, sessionData: aliceData, secretKey: SECRET_KEY }, 'careless');
    assertNoSecrets(capture);
    assert.match(capture.text, /\[redacted\]/);
  });
});
