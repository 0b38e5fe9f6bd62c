import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionAuthHash } from 'django-session-bridge/django';
import type { DjangoUser } from 'django-session-bridge/django';
import { SIGNED_COOKIES_SALT, type DjangoSettings } from 'django-session-bridge/django';
import { signObject } from 'django-session-bridge/django';
import { explain, type ExplainOptions } from '../../src/diagnostics/explain.ts';
import { clockSkewNote, formatDuration, formatExplanation } from '../../src/diagnostics/format.ts';
import { keyHash } from '../../src/logger.ts';
import type { SessionRow, SessionStore } from 'django-session-bridge';
import { encodeSession, loginSession, MODEL_BACKEND } from '../helpers/django.ts';
import { signPayload } from '../helpers/forge.ts';

const KEY = 'explain-current-key-0123456789abcdefghijklmnopqrstuvwxyz';
const FALLBACK_1 = 'explain-fallback-one-0123456789abcdefghijklmnopqrstuvwxyz';
const FALLBACK_2 = 'explain-fallback-two-0123456789abcdefghijklmnopqrstuvwxyz';
const OLD = 'explain-old-removed-key-0123456789abcdefghijklmnopqrstuvwxyz';
const SESSION = 'abcdefgh12345678abcdefgh12345678';
const NOW = new Date('2030-01-01T00:00:00Z');
const LATER = new Date('2030-01-15T00:00:00Z');

const ALICE: DjangoUser = {
  id: 7n,
  password: 'pbkdf2_sha256$600000$salt$c2VjcmV0LXBhc3N3b3JkLWhhc2g=',
  isActive: true,
  username: 'alice',
  firstName: 'Alice',
  lastName: 'Liddell',
  email: 'alice@example.com',
  isStaff: true,
  isSuperuser: false,
};

const SETTINGS: DjangoSettings = {
  secretKey: KEY,
  secretKeyFallbacks: [FALLBACK_1, FALLBACK_2],
  authenticationBackends: [MODEL_BACKEND],
  acceptLegacy: false,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: 1_048_576,
};

/** An in-memory Django database that counts the questions it is asked. */
function memoryStore(rows: Record<string, SessionRow>, users: DjangoUser[] = [ALICE]) {
  const asked = { sessions: 0, users: 0 };
  const store: SessionStore = {
    async findSession(key) {
      asked.sessions += 1;
      return rows[key] ?? null;
    },
    async findUser(id) {
      asked.users += 1;
      return users.find((user) => user.id === id) ?? null;
    },
  };
  return { store, asked };
}

function options(store: SessionStore, overrides: Partial<ExplainOptions> = {}): ExplainOptions {
  return { store, settings: SETTINGS, engine: 'db', now: NOW, djangoVersion: '5.2', ...overrides };
}

const login = (hashKey = KEY, password = ALICE.password) => loginSession(Number(ALICE.id), password, hashKey);
const row = (sessionData: string, expireDate = LATER): Record<string, SessionRow> => ({ [SESSION]: { sessionData, expireDate } });

describe('explain', () => {
  it('shows the row, the decoded dict, the keys, the user and the verdict', async () => {
    const { store } = memoryStore(row(encodeSession(login(), KEY)));
    const result = await explain(SESSION, options(store));
    assert.equal(result.keyHash, keyHash(SESSION));
    assert.deepEqual(result.row, { expireDate: LATER, expired: false });
    assert.equal(result.signature, 'current');
    assert.equal(result.format, 'signed');
    assert.equal(result.authHash, 'current');
    assert.equal(result.session?._auth_user_id, '7');
    assert.equal(result.session?._auth_user_hash, `${(login()._auth_user_hash as string).slice(0, 8)}…`, 'the auth hash is cut');
    assert.deepEqual(result.user, {
      id: '7',
      username: 'alice',
      email: 'alice@example.com',
      firstName: 'Alice',
      lastName: 'Liddell',
      isActive: true,
      isStaff: true,
      isSuperuser: false,
    });
    assert.equal(result.verdict.loggedIn, true);
    assert.equal(result.verdict.reason, 'logged_in');
    assert.deepEqual(result.hints, []);
    assert.ok(!JSON.stringify(result).includes(ALICE.password));
  });

  it('names the fallback that verified the signature or the auth hash, and says removing it logs the visitor out', async () => {
    const signed = await explain(SESSION, options(memoryStore(row(encodeSession(login(), FALLBACK_1))).store));
    assert.equal(signed.signature, 'fallback 1');
    assert.equal(signed.authHash, 'current');
    assert.equal(signed.verdict.reason, 'logged_in');
    assert.deepEqual(signed.hints, ['Depends on fallback 1: removing it from DJANGO_SECRET_KEY_FALLBACKS (and Django\'s SECRET_KEY_FALLBACKS) logs this visitor out.']);

    const hashed = await explain(SESSION, options(memoryStore(row(encodeSession(login(FALLBACK_2), KEY))).store));
    assert.equal(hashed.signature, 'current');
    assert.equal(hashed.authHash, 'fallback 2');
    assert.equal(hashed.verdict.reason, 'logged_in_fallback_key');
    assert.equal(hashed.hints.length, 1);
    assert.match(hashed.hints[0] as string, /^Depends on fallback 2/);
  });

  it('asks the database each question once, however many variants it tries', async () => {
    const { store, asked } = memoryStore(row(encodeSession(login(FALLBACK_2), FALLBACK_1)));
    await explain(SESSION, options(store, { oldKeys: [OLD] }));
    assert.deepEqual(asked, { sessions: 1, users: 1 });
  });

  it('still decodes an expired row and shows its user', async () => {
    const expired = new Date(NOW.getTime() - 90_000);
    const result = await explain(SESSION, options(memoryStore(row(encodeSession(login(), KEY), expired)).store));
    assert.equal(result.verdict.reason, 'expired');
    assert.deepEqual(result.row, { expireDate: expired, expired: true });
    assert.equal(result.user?.username, 'alice');
    assert.match(formatExplanation(result, NOW), /^row {9}EXPIRED 2029-12-31T23:58:30\.000Z \(1m 30s ago\)$/m);
  });

  it('tells which DJANGO_OLD_SECRET_KEYS key would bring a session back', async () => {
    const oldLogin = await explain(SESSION, options(memoryStore(row(encodeSession(login(OLD), OLD))).store, { oldKeys: [FALLBACK_1 + 'x', OLD] }));
    assert.equal(oldLogin.verdict.reason, 'bad_signature');
    assert.equal(oldLogin.signature, 'none');
    assert.deepEqual(oldLogin.hints, ['Would be logged in with DJANGO_OLD_SECRET_KEYS key 2 added back to SECRET_KEY_FALLBACKS.']);

    const oldAnonymous = await explain(SESSION, options(memoryStore(row(encodeSession({ visits: 2 }, OLD))).store, { oldKeys: [OLD] }));
    assert.deepEqual(oldAnonymous.hints, ['session_data is signed with DJANGO_OLD_SECRET_KEYS key 1.']);

    const oldHash = await explain(SESSION, options(memoryStore(row(encodeSession(login(OLD), KEY))).store, { oldKeys: [OLD] }));
    assert.equal(oldHash.verdict.reason, 'hash_mismatch');
    assert.equal(oldHash.authHash, 'none');
    assert.match(oldHash.hints[0] as string, /^Would be logged in with DJANGO_OLD_SECRET_KEYS key 1/);
  });

  it('suspects DJANGO_VERSION when Django 3.1/3.2 rules would log the visitor in', async () => {
    const sha1 = { ...login(), _auth_user_hash: sessionAuthHash(ALICE.password, KEY, 'sha1') };
    const result = await explain(SESSION, options(memoryStore(row(encodeSession(sha1, KEY))).store));
    assert.equal(result.verdict.reason, 'hash_mismatch');
    assert.deepEqual(result.hints, [
      'Would be logged in under Django 3.1/3.2 rules (SHA-1 signatures and auth hashes, the pre-3.1 format), but DJANGO_VERSION is 5.2: is that the Django that runs the site?',
    ]);
  });

  it('says the signature verified even when the payload then fails', async () => {
    const result = await explain(SESSION, options(memoryStore(row(signPayload(Buffer.from('{oops'), { key: FALLBACK_1 }))).store));
    assert.equal(result.verdict.reason, 'not_json');
    assert.equal(result.signature, 'fallback 1');
    assert.equal(result.decodeError, 'not_json');
    assert.equal(result.session, null);
  });

  it('never looks up a value that cannot be a session key, nor a missing cookie', async () => {
    const { store, asked } = memoryStore({});
    const malformed = await explain('Not-A-Key', options(store));
    assert.equal(malformed.verdict.reason, 'malformed_key');
    assert.equal(malformed.signature, null);
    const missing = await explain(undefined, options(store));
    assert.equal(missing.verdict.reason, 'no_cookie');
    assert.equal(missing.keyHash, null);
    assert.deepEqual(asked, { sessions: 0, users: 0 });
    assert.match(formatExplanation(missing, NOW), /^row {9}not looked up: no session cookie$/m);
  });

  it('decodes the cookie itself with the signed_cookies engine', async () => {
    const cookie = signObject(login(), { key: KEY, salt: SIGNED_COOKIES_SALT, compress: true, timestamp: NOW.getTime() / 1000 - 60 });
    const { store, asked } = memoryStore({});
    const result = await explain(cookie, options(store, { engine: 'signed_cookies' }));
    assert.equal(result.verdict.reason, 'logged_in');
    assert.equal(result.signature, 'current');
    assert.equal(result.row, null);
    assert.deepEqual(asked, { sessions: 0, users: 1 });
  });
});

describe('formatExplanation', () => {
  it('prints every part for the operator, without the password hash', async () => {
    const result = await explain(SESSION, options(memoryStore(row(encodeSession(login(FALLBACK_2), FALLBACK_1))).store));
    const text = formatExplanation(result, NOW, 'This machine\'s clock is 5s ahead of the database server\'s.');
    assert.match(text, new RegExp(`^key hash {4}${keyHash(SESSION)} `, 'm'));
    assert.match(text, /^row {9}expires 2030-01-15T00:00:00\.000Z \(in 14d\)$/m);
    assert.match(text, /^signed with fallback 1$/m);
    assert.match(text, /^format {6}signed$/m);
    assert.match(text, /^ {14}"_auth_user_id": "7",$/m);
    assert.match(text, /^user {8}#7 alice \(Alice Liddell\) <alice@example\.com>, active, staff$/m);
    assert.match(text, /^auth hash {3}matches fallback 2$/m);
    assert.match(text, /^verdict {5}LOGGED IN \(logged_in_fallback_key\)$/m);
    assert.match(text, /^hints {7}- Depends on fallback 1/m);
    assert.match(text, /^ {12}- Depends on fallback 2/m);
    assert.match(text, /^ {12}- This machine's clock/m);
    assert.ok(!text.includes(ALICE.password));
  });
});

describe('clockSkewNote and formatDuration', () => {
  it('notes a skew of 2 s or more, either way', () => {
    assert.equal(clockSkewNote(1999), null);
    assert.equal(clockSkewNote(-1500), null);
    assert.match(clockSkewNote(2000) as string, /^This machine's clock is 2s ahead of the database server's/);
    assert.match(clockSkewNote(-3_723_000) as string, /^This machine's clock is 1h 2m behind the database server's/);
  });

  it('prints the two largest units', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(59_400), '59s');
    assert.equal(formatDuration(14 * 86_400_000), '14d');
    assert.equal(formatDuration(-(86_400_000 + 3_600_000 + 60_000)), '1d 1h');
  });
});
