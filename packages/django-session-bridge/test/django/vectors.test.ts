import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sessionAuthHash } from '../../src/django/auth-hash.ts';
import { b62Decode, b62DecodeBigInt, b62Encode } from '../../src/django/base62.ts';
import { saltedHmac } from '../../src/django/crypto.ts';
import { userLookup, verdictFor, type Verdict } from '../../src/django/get-user.ts';
import { decodeSessionData, decodeSignedCookie, type Decoded } from '../../src/django/session-data.ts';
import type { DjangoSettings } from '../../src/django/settings.ts';
import { atLeast } from '../../../../test/helpers/at-least.ts';
import { loadVectors, settingsFor, toDjangoUser, VECTOR_FILES, type Expected, type VectorUser } from '../../../../test/helpers/vectors.ts';

/**
 * The base62 vectors with their integers read exactly from the file's text: JSON.parse rounds those past 2^53
 * (2^53 + 1, 2^64, 10^20) to the nearest double.
 */
function exactBase62(file: string): { int: bigint; encoded: string }[] {
  const text = readFileSync(new URL(`../../../../test/fixtures/vectors/${file}`, import.meta.url), 'utf8');
  const start = text.indexOf('"base62": [');
  const section = text.slice(start, text.indexOf(']', start));
  return [...section.matchAll(/"int": (-?\d+),\s+"encoded": "(-?[0-9A-Za-z]+)"/g)].map(([, int, encoded]) => ({ int: BigInt(int as string), encoded: encoded as string }));
}

function decide(decoded: Decoded, users: VectorUser[], settings: DjangoSettings): Verdict | null {
  if (!decoded.ok) return null;
  const lookup = userLookup(decoded.session, settings);
  if (lookup.kind === 'anonymous') return null;
  const row = users.find((user) => BigInt(user.id) === lookup.userId);
  return verdictFor(decoded.session, lookup.backend, row ? toDjangoUser(row) : null, settings);
}

/** The vectors are read with JSON.parse, which rounds integers past 2^53: compare the decoder's exact ints the same way. */
function asJsonParseReads(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(asJsonParseReads);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asJsonParseReads(item)]));
  return value;
}

function assertMatches(verdict: Verdict | null, expected: Expected, name: string): void {
  assert.equal(verdict?.loggedIn ?? false, expected.authenticated, `${name}: logged in`);
  if (expected.authenticated) assert.equal(verdict?.user?.id, BigInt(expected.user_id as number), `${name}: user id`);
}

for (const file of VECTOR_FILES) {
  const vectors = loadVectors(file);

  describe(`Django ${vectors.django_version} golden vectors`, () => {
    it('covers the cases the issue lists', () => {
      assert.ok(vectors.session_cases.length >= 90);
      assert.ok(vectors.session_cases.some((c) => c.session_data.startsWith('.')), 'a compressed session');
      assert.ok(vectors.session_cases.some((c) => c.expected.authenticated), 'a logged-in session');
    });

    for (const c of vectors.session_cases) {
      it(`session ${c.name}: ${c.expected.authenticated ? 'logged in' : 'not logged in'}`, () => {
        const settings = settingsFor(vectors, c.settings);
        const decoded = decodeSessionData(c.session_data, settings);
        const isDict = typeof c.decoded === 'object' && c.decoded !== null && !Array.isArray(c.decoded);
        if (isDict && Object.keys(c.decoded as object).length > 0) {
          assert.ok(decoded.ok, `${c.name}: Django decoded it`);
          assert.deepEqual(asJsonParseReads(decoded.session), c.decoded);
        } else if (c.decoded !== null && !isDict) {
          assert.deepEqual(decoded, { ok: false, reason: 'not_object' }, `${c.name}: Django decoded a non-dict`);
        } else if (decoded.ok) {
          assert.deepEqual(decoded.session, {}, `${c.name}: Django read an empty session`);
        }
        assertMatches(decide(decoded, c.users, settings), c.expected, c.name);
      });
    }

    for (const c of vectors.signed_cookie_cases) {
      it(`signed cookie ${c.name}: ${c.expected.authenticated ? 'logged in' : 'not logged in'}`, () => {
        const settings = settingsFor(vectors, c.settings);
        assertMatches(decide(decodeSignedCookie(c.cookie, settings, c.now), c.users, settings), c.expected, c.name);
      });
    }

    it('get_session_auth_hash', () => {
      for (const v of vectors.auth_hashes) assert.equal(sessionAuthHash(v.password, v.secret_key, v.algorithm), v.hash);
    });

    it('salted_hmac', () => {
      for (const v of vectors.salted_hmacs) {
        assert.equal(saltedHmac(v.key_salt, v.value, v.secret, v.algorithm).toString('hex'), v.hexdigest);
      }
    });

    it('base62, as numbers up to 2^53 and as bigints for every vector', () => {
      const exact = exactBase62(file);
      assert.equal(exact.length, vectors.base62.length);
      assert.ok(exact.some(({ int }) => int > BigInt(Number.MAX_SAFE_INTEGER)), 'vectors past 2^53');
      for (const v of atLeast(21, exact, 'base62 vectors')) {
        assert.equal(b62Encode(v.int), v.encoded, `${v.int}`);
        assert.equal(b62DecodeBigInt(v.encoded), v.int, v.encoded);
        if (v.int >= BigInt(Number.MIN_SAFE_INTEGER) && v.int <= BigInt(Number.MAX_SAFE_INTEGER)) {
          assert.equal(b62Encode(Number(v.int)), v.encoded, `${v.int}`);
          assert.equal(b62Decode(v.encoded), Number(v.int), v.encoded);
        }
      }
    });
  });
}
