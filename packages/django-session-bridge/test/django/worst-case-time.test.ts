import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { decodeRedisValue } from '../../src/django/cache-value.ts';
import { parseCookieHeader } from '../../src/django/cookies.ts';
import { userLookup } from '../../src/django/get-user.ts';
import { parseIntOpcode, parsePythonInt } from '../../src/django/pickle-text.ts';
import { unpickle } from '../../src/django/pickle.ts';
import { decodeSessionData } from '../../src/django/session-data.ts';
import type { DjangoSettings } from '../../src/django/settings.ts';
import { splitUrl } from '../../src/django/urls.ts';
import { parseUserId } from '../../src/django/user-id.ts';
import { MODEL_BACKEND } from '../../../../test/helpers/django.ts';
import { fastestMs, WORST_CASE_MS } from '../../../../test/helpers/elapsed.ts';
import { signPayload } from '../../../../test/helpers/forge.ts';

// SESSION_MAX_BYTES' default, the bound on session data and cache values; and a generous header size.
const MAX_BYTES = 1_048_576;
const HEADER_BYTES = 64 * 1024;
const KEY = 'worst-case-secret-key-0123456789';
const SETTINGS: DjangoSettings = {
  secretKey: KEY,
  secretKeyFallbacks: [],
  authenticationBackends: [MODEL_BACKEND],
  acceptLegacy: false,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: MAX_BYTES,
};

/** A digit, then whitespace, then a character that fails the match: what a backtracking strip rescans. */
function spaced(bytes: number, space = ' '): string {
  return `1${space.repeat(bytes - 2)}x`;
}

/** A session whose _auth_user_id fills the payload up to `bytes`. */
function sessionWithUserId(bytes: number): Buffer {
  const shell = JSON.stringify({ _auth_user_id: '', _auth_user_backend: MODEL_BACKEND, _auth_user_hash: 'h' });
  const id = spaced(bytes - shell.length);
  return Buffer.from(JSON.stringify({ _auth_user_id: id, _auth_user_backend: MODEL_BACKEND, _auth_user_hash: 'h' }));
}

function assertFast(t: TestContext, name: string, fn: () => unknown): void {
  const ms = fastestMs(fn);
  t.diagnostic(`${name}: ${ms.toFixed(1)} ms`);
  assert.ok(ms < WORST_CASE_MS, `${name} took ${ms.toFixed(1)} ms`);
}

describe('every input at its bound is decided in linear time', () => {
  it('_auth_user_id: whitespace the length of SESSION_MAX_BYTES, then a non-digit', (t) => {
    for (const space of [' ', '\u3000', '\x1c']) {
      const id = spaced(MAX_BYTES, space);
      assertFast(t, `parseUserId (${JSON.stringify(space)})`, () => assert.equal(parseUserId(id), null));
    }
    const padded = `${' '.repeat(MAX_BYTES / 2)}7${'\u2003'.repeat(MAX_BYTES / 2 - 1)}`;
    assertFast(t, 'parseUserId of 7 padded to SESSION_MAX_BYTES', () => assert.equal(parseUserId(padded), 7n));
    assertFast(t, 'parseUserId of a million digits', () => assert.equal(parseUserId('1'.repeat(MAX_BYTES)), null));
  });

  it('a signed session of SESSION_MAX_BYTES carrying that _auth_user_id, decoded and read', (t) => {
    const payload = sessionWithUserId(MAX_BYTES);
    assert.equal(payload.length, MAX_BYTES);
    const data = signPayload(payload, { key: KEY });
    assertFast(t, 'decodeSessionData + userLookup', () => {
      const decoded = decodeSessionData(data, SETTINGS);
      assert.ok(decoded.ok);
      assert.equal(userLookup(decoded.session, SETTINGS).kind, 'anonymous');
    });
  });

  it('a JSON cache value of SESSION_MAX_BYTES carrying that _auth_user_id', (t) => {
    const value = sessionWithUserId(MAX_BYTES);
    assertFast(t, 'decodeRedisValue + userLookup', () => {
      const cached = decodeRedisValue(value, { serializer: 'json', compressor: 'none' }, MAX_BYTES);
      assert.ok(cached.ok);
      assert.equal(userLookup(cached.session, SETTINGS).kind, 'anonymous');
    });
  });

  it("pickle's LONG, INT and GET arguments of SESSION_MAX_BYTES", (t) => {
    const line = Buffer.from(spaced(MAX_BYTES - 3), 'latin1');
    assertFast(t, 'parsePythonInt base 0', () => assert.equal(parsePythonInt(line, 0), null));
    assertFast(t, 'parsePythonInt base 10', () => assert.equal(parsePythonInt(line, 10), null));
    // Past the 4,300-digit limit: refused before BigInt ever reads the digits.
    assertFast(t, 'parseIntOpcode of a million digits', () => assert.equal(parseIntOpcode(Buffer.from('1'.repeat(MAX_BYTES - 2))), null));
    const pickle = Buffer.concat([Buffer.from('L'), line, Buffer.from('\n.')]);
    assert.equal(pickle.length, MAX_BYTES);
    assertFast(t, 'unpickle', () => assert.deepEqual(unpickle(pickle, { maxInputBytes: MAX_BYTES }).ok && 'read', false));
  });

  it('an Origin of 64 KB: an unmatched "]" and then "[" after "["', (t) => {
    const origin = `http://]${'['.repeat(HEADER_BYTES - 8)}`;
    assertFast(t, 'splitUrl', () => assert.equal(splitUrl(origin), null));
  });

  it('a Cookie header of 64 KB of whitespace around the value', (t) => {
    const header = `sessionid=${' '.repeat(HEADER_BYTES / 2)}v${' '.repeat(HEADER_BYTES / 2)}x`;
    assertFast(t, 'parseCookieHeader', () => assert.equal(parseCookieHeader(header).get('sessionid')?.length, HEADER_BYTES / 2 + 2));
  });
});
