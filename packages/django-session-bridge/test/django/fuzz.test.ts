import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { b64Decode, standardB64Decode } from '../../src/django/base64.ts';
import { parseCookieHeader } from '../../src/django/cookies.ts';
import { pythonStrip } from '../../src/django/python-whitespace.ts';
import { userLookup, verdictFor, type DjangoUser } from '../../src/django/get-user.ts';
import { REASONS } from '../../src/django/reasons.ts';
import { decodeSessionData, decodeSignedCookie, type Decoded } from '../../src/django/session-data.ts';
import { SIGNED_COOKIES_SALT, type DjangoSettings } from '../../src/django/settings.ts';
import { parseUserId } from '../../src/django/user-id.ts';
import { encodeSession, MODEL_BACKEND } from '../../../../test/helpers/django.ts';
import { fastestMs, WORST_CASE_MS } from '../../../../test/helpers/elapsed.ts';
import { signPayload, signValue } from '../../../../test/helpers/forge.ts';

const KEY = 'fuzz-secret-key-0123456789';
const SETTINGS: DjangoSettings[] = [false, true].map((acceptLegacy) => ({
  secretKey: KEY,
  secretKeyFallbacks: ['fuzz-old-key'],
  authenticationBackends: [MODEL_BACKEND],
  acceptLegacy,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: 4096,
}));
const USER: DjangoUser = {
  id: 1n,
  password: 'pbkdf2_sha256$260000$salt$hash',
  isActive: true,
  username: 'u',
  firstName: '',
  lastName: '',
  email: '',
  isStaff: false,
  isSuperuser: false,
};
const RUNS = 2000;
const NOW = 1_700_000_000;
// SESSION_MAX_BYTES' default and a generous header size: the bounds the time-limited inputs grow to.
const MAX_BYTES = 1_048_576;
const HEADER_BYTES = 64 * 1024;
const BOUNDED_RUNS = 25;

/**
 * Up to `bytes` characters: a short unit of whitespace, digits and delimiters repeated, then a short tail.
 * Long runs of one kind, then something else, are what a backtracking or rescanning matcher is slow on.
 */
const repeatedUpTo = (bytes: number) =>
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...' \t\n\x0b\x1c\x85\xa0\u3000\ufeff1_+-x[]/:;=".\\'), minLength: 1, maxLength: 4 }),
      fc.string({ maxLength: 4 }),
      fc.integer({ min: 1, max: bytes - 4 }),
    )
    .map(([unit, tail, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail);

/**
 * What json.loads makes of a number JSON.stringify wrote: an integer written out in digits (below 1e21)
 * is a Python int of exactly those digits, which the decoder gives as a bigint past 2^53. String() writes
 * the same digits JSON.stringify did.
 */
function assertWithinLimit(what: string, fn: () => unknown): void {
  const ms = fastestMs(fn);
  assert.ok(ms < WORST_CASE_MS, `${what} took ${ms.toFixed(1)} ms`);
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  // Mostly the characters signed values are made of, so the fuzzer reaches past the first split.
  fc.string({ unit: fc.constantFrom(...'AZaz09-_+/=.:é\u0000 '), maxLength: 300 }),
  fc.tuple(fc.base64String({ maxLength: 120 }), fc.stringMatching(/^[0-9A-Za-z]{0,7}$/), fc.base64String({ maxLength: 50 })).map((parts) => parts.join(':')),
);

const authValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.bigInt().map(String), fc.stringMatching(/^[0-9a-f]{64}$/));
const sessionObject = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
    fc.record({ _auth_user_id: authValue, _auth_user_backend: fc.oneof(fc.constant(MODEL_BACKEND), authValue), _auth_user_hash: authValue }, { requiredKeys: [] }),
  )
  .map(([extra, auth]) => ({ ...extra, ...auth }));

/** Values a holder of the key could sign: raw bytes, deflated bytes, any JSON, session-like objects. */
const signedPayload = fc.oneof(
  fc.record({ payload: fc.uint8Array({ maxLength: 400 }).map(Buffer.from), compressed: fc.constant(false) }),
  fc.record({ payload: fc.uint8Array({ maxLength: 400 }).map(Buffer.from), compressed: fc.constant(true) }),
  fc.record({ payload: fc.uint8Array({ maxLength: 400 }).map((bytes) => deflateSync(bytes)), compressed: fc.constant(true) }),
  fc.record({ payload: fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '', 'latin1')), compressed: fc.constant(false) }),
  fc.record({ payload: sessionObject.map((value) => deflateSync(JSON.stringify(value))), compressed: fc.constant(true) }),
);

function assertWellFormed(decoded: Decoded, settings: DjangoSettings): void {
  if (!decoded.ok) {
    assert.ok((REASONS as readonly string[]).includes(decoded.reason), decoded.reason);
    return;
  }
  assert.ok(decoded.session !== null && typeof decoded.session === 'object' && !Array.isArray(decoded.session));
  const lookup = userLookup(decoded.session, settings);
  if (lookup.kind === 'anonymous') return;
  // The fuzzer cannot forge the session auth hash: whoever the session names, it is not a login.
  assert.equal(verdictFor(decoded.session, lookup.backend, { ...USER, id: lookup.userId }, settings).loggedIn, false);
}

describe('fuzzing the decoder (pure)', () => {
  it('any string as session_data or as a signed cookie: refused with a known reason, never a throw', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...SETTINGS), (text, settings) => {
        const data = decodeSessionData(text, settings);
        const cookie = decodeSignedCookie(text, settings, NOW);
        assert.equal(data.ok, false);
        assert.equal(cookie.ok, false);
        assertWellFormed(data, settings);
        assertWellFormed(cookie, settings);
      }),
      { numRuns: RUNS },
    );
  });

  it('anything under a valid signature: decoded into an object or refused, never a throw, never a login', () => {
    fc.assert(
      fc.property(signedPayload, fc.constantFrom(...SETTINGS), ({ payload, compressed }, settings) => {
        assertWellFormed(decodeSessionData(signPayload(payload, { key: KEY, compressed }), settings), settings);
        const cookie = signPayload(payload, { key: KEY, salt: SIGNED_COOKIES_SALT, compressed, timestamp: NOW });
        assertWellFormed(decodeSignedCookie(cookie, settings, NOW), settings);
      }),
      { numRuns: RUNS },
    );
  });

  it('any value signed whole, well-formed or not', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...SETTINGS), (value, settings) => {
        assertWellFormed(decodeSessionData(signValue(value, { key: KEY }), settings), settings);
      }),
      { numRuns: RUNS },
    );
  });

  it('what Django writes reads back as the same session', () => {
    fc.assert(
      fc.property(sessionObject, fc.constantFrom(...SETTINGS), (session, settings) => {
        const decoded = decodeSessionData(encodeSession(session, KEY), settings);
        assert.ok(decoded.ok);
        // pythonJsonDumps writes every JSON value as json.dumps would, and parsePythonJson reads it back the same.
        assert.deepEqual(decoded.session, session);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('changing or cutting any one character of a valid session_data is never accepted', () => {
    const edited = fc
      .tuple(sessionObject.map((session) => encodeSession(session, KEY)), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.boolean())
      .map(([data, at, char, cut]) => {
        const i = at % data.length;
        return { data, edit: cut ? data.slice(0, i) : data.slice(0, i) + char + data.slice(i + 1) };
      })
      .filter(({ data, edit }) => data !== edit);
    fc.assert(
      fc.property(edited, fc.constantFrom(...SETTINGS), ({ edit }, settings) => {
        assert.equal(decodeSessionData(edit, settings).ok, false);
      }),
      { numRuns: RUNS },
    );
  });

  it('inputs up to SESSION_MAX_BYTES and 64 KB headers: each decided within the time limit', () => {
    const settings = { ...SETTINGS[0]!, maxSessionBytes: MAX_BYTES };
    fc.assert(
      fc.property(repeatedUpTo(MAX_BYTES - 200), (text) => {
        assertWithinLimit('parseUserId', () => parseUserId(text));
        const session = (id: string) => Buffer.from(JSON.stringify({ _auth_user_id: id, _auth_user_backend: MODEL_BACKEND, _auth_user_hash: 'h' }), 'latin1');
        // JSON escapes may make the session longer than the text: cut the text so the session fits the bound.
        const whole = session(text);
        const payload = whole.length <= MAX_BYTES ? whole : session(text.slice(0, Math.floor((text.length * (MAX_BYTES - 100)) / whole.length)));
        assert.ok(payload.length <= MAX_BYTES);
        const data = signPayload(payload, { key: KEY });
        assertWithinLimit('decodeSessionData + userLookup', () => assertWellFormed(decodeSessionData(data, settings), settings));
        assertWithinLimit('decodeSessionData of the text', () => decodeSessionData(text, settings));
        const header = text.slice(0, HEADER_BYTES);
        assertWithinLimit('parseCookieHeader', () => parseCookieHeader(header));
        assertWithinLimit('b64Decode', () => b64Decode(header));
      }),
      { numRuns: BOUNDED_RUNS },
    );
  });

  it('base64 decoding never throws', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const decoded of [b64Decode(text), standardB64Decode(text)]) assert.ok(decoded === null || Buffer.isBuffer(decoded));
      }),
      { numRuns: RUNS },
    );
  });

  it('any Cookie header parses to strings; the last duplicate wins', () => {
    fc.assert(
      fc.property(anyText, fc.string({ unit: 'binary', maxLength: 100 }), (header, value) => {
        for (const parsed of parseCookieHeader(header).values()) assert.equal(typeof parsed, 'string');
        const clean = pythonStrip(value.replace(/[;"\\]/g, ''));
        assert.equal(parseCookieHeader(`${header}; sessionid=${clean}`).get('sessionid') ?? '', clean);
      }),
      { numRuns: RUNS },
    );
  });

  it('_auth_user_id of any JSON type: an integer, "none" or refused, never a throw; integers read back', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), (value) => {
        const id = parseUserId(value);
        assert.ok(id === null || id === 'none' || typeof id === 'bigint');
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.bigInt(), (n) => {
        assert.equal(parseUserId(String(n)), n);
        assert.equal(parseUserId(` ${n}\n`), n);
      }),
      { numRuns: RUNS / 4 },
    );
  });
});
