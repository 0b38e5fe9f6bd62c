import assert from 'node:assert/strict';
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { insertSession, insertUser, MODEL_BACKEND, newSessionKey, userPassword } from './helpers/django.ts';
import { WORST_CASE_MS } from './helpers/elapsed.ts';
import { signPayload } from './helpers/forge.ts';
import { listen, type Listening } from './helpers/listen.ts';
import { sessionAuthHash } from 'django-session-bridge/django';

interface Answer {
  status: number;
  body: string;
}

/** What a client can put in a header: Node refuses CR, LF, NUL and other controls before sending. */
const headerValue = (maxLength: number) =>
  fc
    .oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ unit: fc.constantFrom(...'sesionid=;" \\,a0Z%\u00e9\u00ff'), maxLength }))
    .map((text) => Buffer.from(text, 'utf8').toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, ''));

describe('fuzzing the HTTP layer: garbage is always 200 "Not Logged In", never a 5xx', () => {
  let fixture: Fixture;
  let http: Listening;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let aliceId: number;
  let aliceHash: string;

  before(async () => {
    fixture = await createFixture();
    aliceId = await insertUser(fixture.django, { username: 'alice' });
    aliceHash = sessionAuthHash(await userPassword(fixture.django, aliceId), SECRET_KEY);
    http = await listen(fixture.app().app);
  });
  after(async () => {
    agent.destroy();
    await http.close();
    await fixture.close();
  });

  function get(path: string, headers: OutgoingHttpHeaders, method = 'GET'): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(`${http.url}${path}`, { agent, headers, method }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  function assertAnonymous(answer: Answer, what: string): void {
    assert.equal(answer.status, 200, what);
    assert.deepEqual(JSON.parse(answer.body), { loggedIn: false, user: null }, what);
  }

  it('random Cookie headers', async () => {
    const cookie = fc.oneof(
      headerValue(300),
      headerValue(60).map((value) => `sessionid=${value}`),
      fc
        .tuple(fc.array(fc.tuple(fc.constantFrom('sessionid', 'csrftoken', 'sessionid ', ''), headerValue(50)), { maxLength: 6 }), fc.constantFrom('; ', ';', ', '))
        .map(([pairs, separator]) => pairs.map(([name, value]) => `${name}=${value}`).join(separator)),
      fc.stringMatching(/^[a-z0-9]{8,40}$/).map((key) => `sessionid=${key}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cookie, { minLength: 1, maxLength: 3 }), async (cookies) => {
        assertAnonymous(await get('/elixir/api/me', { cookie: cookies.length === 1 ? cookies[0] : cookies }), JSON.stringify(cookies));
      }),
      { numRuns: 1000 },
    );
  });

  it('random session_data rows, raw or under a valid signature', async () => {
    const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'latin1');
    const login = fc.record(
      {
        _auth_user_id: fc.oneof(fc.constant(String(aliceId)), fc.constant(aliceId), fc.jsonValue({ maxDepth: 1 })),
        _auth_user_backend: fc.oneof(fc.constant(MODEL_BACKEND), fc.jsonValue({ maxDepth: 1 })),
        // Anything but alice's real hash: the one thing a fuzzer must not be able to produce.
        _auth_user_hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.jsonValue({ maxDepth: 1 })).filter((hash) => hash !== aliceHash),
      },
      { requiredKeys: [] },
    );
    const sessionData = fc.oneof(
      // PostgreSQL text cannot hold NUL.
      fc.string({ unit: 'binary', maxLength: 400 }).map((text) => text.replaceAll('\u0000', '')),
      fc.uint8Array({ maxLength: 400 }).map((bytes) => signPayload(Buffer.from(bytes), { key: SECRET_KEY })),
      fc.uint8Array({ maxLength: 400 }).map((bytes) => signPayload(Buffer.from(bytes), { key: SECRET_KEY, compressed: true })),
      fc.jsonValue().map((value) => signPayload(json(value), { key: SECRET_KEY })),
      login.map((session) => signPayload(deflateSync(json(session)), { key: SECRET_KEY, compressed: true })),
    );
    await fc.assert(
      fc.asyncProperty(sessionData, async (data) => {
        const key = await insertSession(fixture.django, data);
        assertAnonymous(await get('/elixir/api/me', { cookie: `sessionid=${key}` }), data.slice(0, 200));
      }),
      { numRuns: 300 },
    );
  });

  it('random paths and request headers: never a 5xx', async () => {
    const segment = fc.oneof(fc.webSegment(), fc.constantFrom('%', '%zz', '%ff', '%c0%af', '..', '.', '%2e%2e', 'api', 'healthz', '%00', '~'));
    const path = fc.array(segment, { maxLength: 5 }).map((segments) => `/elixir/${segments.join('/')}`);
    const headers = fc.record(
      {
        cookie: fc.stringMatching(/^[a-z0-9]{8,40}$/).map((key) => `sessionid=${key}`),
        'x-request-id': headerValue(100),
        'x-forwarded-prefix': headerValue(60),
        'x-forwarded-for': headerValue(60),
        'x-forwarded-proto': headerValue(20),
        accept: headerValue(60),
        'accept-language': headerValue(60),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(path, headers, async (target, sent) => {
        const answer = await get(target, sent);
        assert.ok(answer.status < 500, `${target} ${JSON.stringify(sent)}: ${answer.status} ${answer.body.slice(0, 200)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('headers as long as the server takes (16 KB in all): each answered within the time limit', async () => {
    // A short unit repeated: the runs of one kind a rescanning matcher is slow on.
    const long = fc
      .tuple(fc.string({ unit: fc.constantFrom(...' \t[]/:;=1a\x85'), minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 14_000 }), fc.constantFrom('', 'x', '['))
      .map(([unit, length, tail]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail);
    const sent = fc.oneof(
      long.map((value) => ({ method: 'GET', path: '/elixir/api/me', headers: { cookie: `sessionid=${value}` } })),
      long.map((value) => ({ method: 'GET', path: '/elixir/', headers: { 'x-forwarded-prefix': `/${value}` } })),
      long.map((value) => ({ method: 'POST', path: '/elixir/account/greeting', headers: { origin: `http://]${value}` } })),
      long.map((value) => ({ method: 'POST', path: '/elixir/account/greeting', headers: { referer: `https://${value}` } })),
    );
    await fc.assert(
      fc.asyncProperty(sent, async ({ method, path, headers }) => {
        let status = 0;
        // Timed over three requests, the fastest counting: a busy machine rarely slows all three.
        const times: number[] = [];
        for (let i = 0; i < 3; i += 1) {
          const start = performance.now();
          status = (await get(path, headers, method)).status;
          times.push(performance.now() - start);
        }
        const ms = Math.min(...times);
        assert.ok(status < 500, `${method} ${path}: ${status}`);
        assert.ok(ms < WORST_CASE_MS, `${method} ${path} with ${Object.keys(headers)[0]} of ${Object.values(headers)[0]?.length} characters took ${ms.toFixed(1)} ms`);
      }),
      { numRuns: 40 },
    );
  });

  it('a fresh, valid login still works after all that', async () => {
    const session = { _auth_user_id: String(aliceId), _auth_user_backend: MODEL_BACKEND, _auth_user_hash: aliceHash };
    const key = await insertSession(fixture.django, signPayload(deflateSync(JSON.stringify(session)), { key: SECRET_KEY, compressed: true }), undefined, newSessionKey());
    const answer = await get('/elixir/api/me', { cookie: `sessionid=${key}` });
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as { loggedIn: boolean }).loggedIn, true);
  });
});
