import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { main as inspect } from '../scripts/session-inspect.ts';
import { sessionAuthHash } from 'django-session-bridge/django';
import { b62Encode } from 'django-session-bridge/django';
import { saltedHmac } from 'django-session-bridge/django';
import { REASONS, type Reason } from 'django-session-bridge/django';
import { SESSION_SALT, SIGNED_COOKIES_SALT } from 'django-session-bridge/django';
import { signObject } from 'django-session-bridge/django';
import { createLogger, keyHash } from '../src/logger.ts';
import { createFixture, LogCapture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, MODEL_BACKEND, newSessionKey, userPassword } from './helpers/django.ts';
import { signPayload, signValue } from './helpers/forge.ts';
import { captureOutput } from './helpers/tool-output.ts';
import type { CacheServer } from './helpers/cache-server.ts';
import { REDIS_MISSING, redisSet, startRedis } from './helpers/redis-server.ts';
import { sessionCacheKey } from 'django-session-bridge/django';

const FALLBACK_KEY = 'reasons-test-fallback-key-9876543210-zyxwvutsrqponmlkjihgfedcba';
const SESSION_COOKIE_AGE = 1_209_600;
const PICKLE_ENV = { DJANGO_SESSION_SERIALIZER: 'pickle', DJANGO_VERSION: '3.2' };

interface World {
  fixture: Fixture;
  /** A real Redis for the cache engine's reasons; null where redis-server is not installed. */
  redis: CacheServer | null;
  alice: { id: number; password: string };
  ivan: { id: number; password: string };
}

interface ReasonCase {
  /** The service's environment for this case, on top of DATABASE_URL and DJANGO_SECRET_KEY. */
  env?: Record<string, string> | ((world: World) => Record<string, string>);
  /** The session cookie's value, or undefined for a request without one. */
  cookie(world: World): Promise<string | undefined>;
}

const seconds = () => Math.floor(Date.now() / 1000);
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'latin1');
const row = (world: World, sessionData: string, expireDate?: Date) => insertSession(world.fixture.django, sessionData, expireDate);
const login = (world: World, user = world.alice, key = SECRET_KEY) => loginSession(user.id, user.password, key);

/** A session stored the way Django's cache engine stores it: raw bytes at its cache key in Redis. */
async function cacheEntry(world: World, value: Buffer): Promise<string> {
  const key = newSessionKey();
  await redisSet((world.redis as CacheServer).url, { [sessionCacheKey('cache', key, { keyPrefix: '', version: 1 })]: value });
  return key;
}
const cacheEngine = (world: World) => ({ DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: world.redis?.url ?? '' });

// One way to reach every reason. Typed as a Record over Reason: a new reason without a case does not compile.
const CASES: Record<Reason, ReasonCase> = {
  no_cookie: { cookie: async () => undefined },
  malformed_key: { cookie: async () => 'Not-A-Session-Key' },
  no_row: { cookie: async () => newSessionKey() },
  expired: { cookie: (w) => row(w, encodeSession(login(w), SECRET_KEY), new Date(Date.now() - 60_000)) },
  bad_signature: { cookie: (w) => row(w, encodeSession(login(w), 'a-key-this-service-was-never-given')) },
  signature_expired: {
    env: { DJANGO_SESSION_ENGINE: 'signed_cookies' },
    cookie: async (w) => signObject(login(w), { key: SECRET_KEY, salt: SIGNED_COOKIES_SALT, compress: true, timestamp: seconds() - SESSION_COOKIE_AGE - 60 }),
  },
  bad_timestamp: { cookie: (w) => row(w, signValue(`${json(login(w)).toString('base64url')}:not~base62`, { key: SECRET_KEY })) },
  bad_base64: { cookie: (w) => row(w, signValue(`a:${b62Encode(seconds())}`, { key: SECRET_KEY })) },
  bad_zlib: { cookie: (w) => row(w, signPayload(Buffer.from('not zlib data'), { key: SECRET_KEY, compressed: true })) },
  too_large: {
    env: { SESSION_MAX_BYTES: '1024' },
    cookie: (w) => row(w, signObject({ ...login(w), filler: 'x'.repeat(2000) }, { key: SECRET_KEY, salt: SESSION_SALT, compress: false })),
  },
  legacy_format_disabled: {
    env: { DJANGO_VERSION: '5.2' },
    cookie: (w) => {
      const serialized = JSON.stringify(login(w));
      const hash = saltedHmac('django.contrib.sessionsSessionStore', serialized, SECRET_KEY, 'sha1').toString('hex');
      return row(w, Buffer.from(`${hash}:${serialized}`).toString('base64'));
    },
  },
  // Protocol 4 pickle of {}: what PickleSerializer writes.
  pickled: { cookie: (w) => row(w, signPayload(Buffer.from('80049505000000000000007d942e', 'hex'), { key: SECRET_KEY })) },
  // os.system('true') through __reduce__: refused by name, never run.
  unsupported_pickle: {
    env: PICKLE_ENV,
    cookie: (w) => row(w, signPayload(Buffer.from('\x80\x02cos\nsystem\nX\x04\x00\x00\x00true\x85R.', 'latin1'), { key: SECRET_KEY })),
  },
  // A JSON session where Django expects pickles.
  bad_pickle: { env: PICKLE_ENV, cookie: (w) => row(w, encodeSession(login(w), SECRET_KEY)) },
  not_json: { cookie: (w) => row(w, signPayload(Buffer.from('{not json'), { key: SECRET_KEY })) },
  not_object: { cookie: (w) => row(w, signPayload(json([login(w)]), { key: SECRET_KEY })) },
  // Bytes no Django cache backend writes, at the session's key.
  bad_cache_value: { env: cacheEngine, cookie: (w) => cacheEntry(w, Buffer.from('80056e6f742061207069636b6c65', 'hex')) },
  anonymous: { cookie: (w) => row(w, encodeSession({ cart: [1, 2], _language: 'fr' }, SECRET_KEY)) },
  bad_user_id: { cookie: (w) => row(w, encodeSession({ ...login(w), _auth_user_id: 'alice' }, SECRET_KEY)) },
  backend_not_allowed: { cookie: (w) => row(w, encodeSession(loginSession(w.alice.id, w.alice.password, SECRET_KEY, 'myapp.auth.EmailBackend'), SECRET_KEY)) },
  no_user: { cookie: (w) => row(w, encodeSession(loginSession(987654, 'pbkdf2_sha256$260000$x$y=', SECRET_KEY), SECRET_KEY)) },
  inactive: { cookie: (w) => row(w, encodeSession(login(w, w.ivan), SECRET_KEY)) },
  no_hash: {
    cookie: (w) => row(w, encodeSession({ _auth_user_id: String(w.alice.id), _auth_user_backend: MODEL_BACKEND }, SECRET_KEY)),
  },
  hash_mismatch: { cookie: (w) => row(w, encodeSession(loginSession(w.alice.id, 'pbkdf2_sha256$260000$old$password=', SECRET_KEY), SECRET_KEY)) },
  logged_in: { cookie: (w) => row(w, encodeSession(login(w), SECRET_KEY)) },
  logged_in_fallback_key: {
    env: { DJANGO_SECRET_KEY_FALLBACKS: FALLBACK_KEY },
    cookie: (w) => row(w, encodeSession(login(w, w.alice, FALLBACK_KEY), FALLBACK_KEY)),
  },
  logged_in_legacy_hash: {
    env: { DJANGO_VERSION: '3.2' },
    cookie: (w) => row(w, encodeSession({ ...login(w), _auth_user_hash: sessionAuthHash(w.alice.password, SECRET_KEY, 'sha1') }, SECRET_KEY)),
  },
};

const loggedIn = (reason: Reason) => reason.startsWith('logged_in');

describe('every reason code', () => {
  let world: World;

  before(async () => {
    const fixture = await createFixture();
    const aliceId = await insertUser(fixture.django, { username: 'alice', email: 'alice@example.com', isStaff: true });
    const ivanId = await insertUser(fixture.django, { username: 'ivan', isActive: false });
    world = {
      fixture,
      redis: REDIS_MISSING.length === 0 ? await startRedis() : null,
      alice: { id: aliceId, password: await userPassword(fixture.django, aliceId) },
      ivan: { id: ivanId, password: await userPassword(fixture.django, ivanId) },
    };
  });
  after(async () => {
    await world.fixture.close();
    await world.redis?.stop();
  });

  it('has a case for each code in REASONS', () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...REASONS].sort());
  });

  for (const reason of REASONS) {
    const { env: envOf = {}, cookie: makeCookie } = CASES[reason];
    const needsRedis = typeof envOf === 'function';
    const caseEnv = () => (typeof envOf === 'function' ? envOf(world) : envOf);
    // Where redis-server is missing the cache reasons are skipped, naming it; under CI that is a failure.
    const skip = needsRedis && REDIS_MISSING.length > 0 && process.env.PACKAGES_REQUIRED !== '1' ? `missing Debian packages: ${REDIS_MISSING.join(', ')}` : false;

    it(`${reason}: over HTTP, logged and counted, never shown to the visitor`, { skip }, async () => {
      const env = caseEnv();
      const cookie = await makeCookie(world);
      const logs = new LogCapture();
      const built = world.fixture.app(env, createLogger('debug', logs));
      const send = (path: string) => {
        const req = request(built.app.callback()).get(path);
        return cookie === undefined ? req : req.set('Cookie', `csrftoken=abc; sessionid=${cookie}`);
      };

      const page = await send('/elixir/').expect(200);
      const api = await send('/elixir/api/me').expect(200);
      const missing = await send('/elixir/no-such-page').expect(404);
      assert.match(page.text, loggedIn(reason) ? /Logged In!/ : /Not Logged In/);
      assert.deepEqual(Object.keys(api.body).sort(), ['loggedIn', 'user']);
      assert.equal(api.body.loggedIn, loggedIn(reason));
      assert.equal(api.body.user?.username ?? null, loggedIn(reason) ? 'alice' : null);
      for (const res of [page, api, missing]) {
        assert.ok(!res.text.includes(reason), `the body names the reason ${reason}`);
        assert.ok(!JSON.stringify(res.headers).includes(reason), `a header names the reason ${reason}`);
      }

      const counted = built.counters.snapshot().verdicts;
      assert.deepEqual(
        Object.entries(counted).filter(([, count]) => count > 0),
        [[reason, 3]],
      );
      const metrics = await request(built.app.callback()).get('/elixir/metrics').expect(200);
      assert.match(metrics.text, new RegExp(`^bridge_verdicts_total\\{reason="${reason}"\\} ${built.counters.snapshot().verdicts[reason]}$`, 'm'));

      const verdicts = logs.lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'verdict');
      assert.equal(verdicts.length, 3);
      for (const line of verdicts) {
        assert.equal(line.level, 20, 'debug level');
        assert.equal(line.reason, reason);
        assert.equal(line.session, cookie ? keyHash(cookie) : null);
      }
      if (cookie) assert.ok(!logs.text.includes(cookie), 'the session key is never logged');
    });

    it(`${reason}: through session:inspect`, { skip }, async () => {
      const env = caseEnv();
      const cookie = await makeCookie(world);
      const out = captureOutput();
      const args = cookie === undefined ? ['--json', '--cookie', 'csrftoken=abc; django_language=fr'] : ['--json', '--', cookie];
      const code = await inspect(args, { DATABASE_URL: world.fixture.database.url, DJANGO_SECRET_KEY: SECRET_KEY, ...env }, out);
      assert.equal(out.err(), '');
      assert.equal(code, loggedIn(reason) ? 0 : 1);
      const report = JSON.parse(out.out());
      assert.equal(report.verdict.reason, reason);
      assert.equal(report.verdict.loggedIn, loggedIn(reason));
      for (const secret of [SECRET_KEY, FALLBACK_KEY, world.alice.password, world.ivan.password]) {
        assert.ok(!out.out().includes(secret), 'never prints a secret key or a password hash');
      }
    });
  }
});
