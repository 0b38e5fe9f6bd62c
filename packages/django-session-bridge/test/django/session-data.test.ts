import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saltedHmac } from '../../src/django/crypto.ts';
import { pickleJson } from '../../src/django/pickle-json.ts';
import { decodeSessionData, decodeSignedCookie, type Decoded } from '../../src/django/session-data.ts';
import { SESSION_SALT, SIGNED_COOKIES_SALT, type DjangoSettings } from '../../src/django/settings.ts';
import { signObject } from '../../src/django/signing.ts';
import { signPayload } from '../../../../test/helpers/forge.ts';
import { atLeast } from '../../../../test/helpers/at-least.ts';
import { loadPickleVectors } from '../../../../test/helpers/pickle-vectors.ts';

const settings: DjangoSettings = {
  secretKey: 'current',
  secretKeyFallbacks: ['old'],
  authenticationBackends: ['django.contrib.auth.backends.ModelBackend'],
  acceptLegacy: false,
  sessionCookieAge: 3600,
  maxSessionBytes: 1024 * 1024,
};

const signed = (obj: unknown, key = 'current', salt = SESSION_SALT) => signObject(obj, { key, salt, compress: true });

function legacy(json: string, key = 'current'): string {
  const hash = saltedHmac('django.contrib.sessionsSessionStore', json, key, 'sha1').toString('hex');
  return Buffer.from(`${hash}:${json}`).toString('base64');
}

describe('decodeSessionData', () => {
  it('decodes the modern format with the current key or a fallback', () => {
    assert.deepEqual(decodeSessionData(signed({ a: 1 }), settings), { ok: true, session: { a: 1 }, keyIndex: 0, format: 'signed', payload: Buffer.from('{"a":1}') });
    assert.deepEqual(decodeSessionData(signed({ a: 1 }, 'old'), settings), { ok: true, session: { a: 1 }, keyIndex: 1, format: 'signed', payload: Buffer.from('{"a":1}') });
  });

  it('reads the pre-3.1 format only under Django 3.1/3.2 rules', () => {
    const data = legacy('{"a":1}');
    assert.deepEqual(decodeSessionData(data, { ...settings, acceptLegacy: true }), { ok: true, session: { a: 1 }, keyIndex: 0, format: 'legacy', payload: Buffer.from('{"a":1}') });
    assert.deepEqual(decodeSessionData(data, settings), { ok: false, reason: 'legacy_format_disabled' });
    assert.deepEqual(decodeSessionData(legacy('{"a":1}', 'other'), { ...settings, acceptLegacy: true }), { ok: false, reason: 'bad_signature' });
  });

  it('refuses pickles, non-JSON and non-objects inside a valid signature', () => {
    const resign = (payload: Buffer) => {
      const value = `${payload.toString('base64url')}:1r30im`;
      return `${value}:${saltedHmac(`${SESSION_SALT}signer`, value, 'current', 'sha256').toString('base64url')}`;
    };
    assert.deepEqual(decodeSessionData(resign(Buffer.from([0x80, 0x04, 0x95])), settings), { ok: false, reason: 'pickled', detail: 'Expecting value at 0' });
    assert.deepEqual(decodeSessionData(resign(Buffer.from('not json')), settings), { ok: false, reason: 'not_json', detail: 'Expecting value at 0' });
    assert.deepEqual(decodeSessionData(signed([1, 2]), settings), { ok: false, reason: 'not_object' });
    assert.deepEqual(decodeSessionData(signed('text'), settings), { ok: false, reason: 'not_object' });
  });

  it('calls anything else a bad signature', () => {
    for (const data of ['', 'garbage', ':::', signed({}, 'current', 'other-salt')]) {
      assert.deepEqual(decodeSessionData(data, settings), { ok: false, reason: 'bad_signature' }, data);
    }
  });
});

describe('decodeSignedCookie', () => {
  it('uses the signed_cookies salt and SESSION_COOKIE_AGE', () => {
    const now = 2_000_000_000;
    const cookie = (timestamp: number) => signObject({ a: 1 }, { key: 'current', salt: SIGNED_COOKIES_SALT, compress: true, timestamp });
    assert.equal(decodeSignedCookie(cookie(now - 3600), settings, now).ok, true);
    assert.deepEqual(decodeSignedCookie(cookie(now - 3601), settings, now), { ok: false, reason: 'signature_expired' });
    assert.deepEqual(decodeSignedCookie(signed({ a: 1 }), settings, now), { ok: false, reason: 'bad_signature' });
  });
});

describe('decoding with SESSION_SERIALIZER = PickleSerializer', () => {
  const vectors = loadPickleVectors();
  const pickled = { ...settings, acceptLegacy: true, serializer: 'pickle' as const };
  const osSystem = Buffer.from('\x80\x02cos\nsystem\nX\x04\x00\x00\x00true\x85R.', 'latin1');
  const pickle = (hex: string) => Buffer.from(hex, 'latin1');
  const reasonOf = (decoded: Decoded) => (decoded.ok ? 'decoded' : decoded.reason);

  it("decodes Django 3.2's pickled sessions (signed and legacy) into what Django read", () => {
    const refused = ['bad_signature', 'bad_pickle', 'unsupported_pickle', 'too_large'];
    for (const c of atLeast(8, vectors.sessions.filter((s) => !refused.includes(s.reason)), 'pickled sessions Django read')) {
      const decoded = decodeSessionData(c.session_data, { ...pickled, secretKey: c.settings.secret_key, secretKeyFallbacks: [] });
      assert.ok(decoded.ok, c.name);
      assert.deepEqual(pickleJson(decoded.session), c.decoded, c.name);
      assert.equal(decoded.format, c.name.startsWith('login_legacy') || c.name.startsWith('legacy') ? 'legacy' : 'signed', c.name);
    }
  });

  it('checks the signature first: unsigned or tampered pickles never reach the reader', () => {
    assert.equal(reasonOf(decodeSessionData(osSystem.toString('base64'), pickled)), 'bad_signature');
    const valid = signPayload(osSystem, { key: 'current' });
    assert.deepEqual(decodeSessionData(valid, pickled), { ok: false, reason: 'unsupported_pickle', detail: 'global os.system is not on the allow-list' });
    const tampered = `${valid.slice(0, 3)}${valid[3] === 'A' ? 'B' : 'A'}${valid.slice(4)}`;
    assert.equal(reasonOf(decodeSessionData(tampered, pickled)), 'bad_signature');
    assert.equal(reasonOf(decodeSessionData(signPayload(osSystem, { key: 'someone-else' }), pickled)), 'bad_signature');
    const legacyHash = saltedHmac('django.contrib.sessionsSessionStore', osSystem, 'other', 'sha1').toString('hex');
    assert.equal(reasonOf(decodeSessionData(Buffer.concat([Buffer.from(`${legacyHash}:`), osSystem]).toString('base64'), pickled)), 'bad_signature');
  });

  it("maps the reader's verdicts and keeps only dicts", () => {
    assert.equal(reasonOf(decodeSessionData(signPayload(pickle('\x80\x02K\x01'), { key: 'current' }), pickled)), 'bad_pickle');
    assert.equal(reasonOf(decodeSessionData(signPayload(pickle('\x80\x02]q\x00h\x00a.'), { key: 'current' }), pickled)), 'unsupported_pickle');
    assert.equal(reasonOf(decodeSessionData(signPayload(pickle('\x80\x02]K\x01a.'), { key: 'current' }), pickled)), 'not_object');
    assert.equal(reasonOf(decodeSessionData(signPayload(pickle('\x80\x03C\x01a.'), { key: 'current' }), pickled)), 'not_object');
    const withIntKey = decodeSessionData(signPayload(pickle('\x80\x02}(K\x01K\x02U\x01aK\x03u.'), { key: 'current' }), pickled);
    assert.ok(withIntKey.ok);
    assert.deepEqual({ ...withIntKey.session }, { a: 3 });
    const big = signPayload(Buffer.concat([pickle('\x80\x02X\x00\x00\x02\x00'), Buffer.alloc(0x20000, 0x61), pickle('.')]), { key: 'current' });
    assert.equal(reasonOf(decodeSessionData(big, { ...pickled, maxSessionBytes: 0x10000 })), 'too_large');
  });

  it('the JSON serializer still only names a pickle', () => {
    assert.equal(reasonOf(decodeSessionData(signPayload(osSystem, { key: 'current' }), settings)), 'pickled');
  });

  it('signed_cookies sessions use the same serializer', () => {
    const now = 2_000_000_000;
    const cookie = signPayload(pickle('\x80\x04}\x94\x8c\x01a\x94K\x01s.'), { key: 'current', salt: SIGNED_COOKIES_SALT, timestamp: now });
    const decoded = decodeSignedCookie(cookie, pickled, now);
    assert.ok(decoded.ok);
    assert.deepEqual({ ...decoded.session }, { a: 1 });
    const evil = signPayload(osSystem, { key: 'current', salt: SIGNED_COOKIES_SALT, timestamp: now });
    assert.equal(reasonOf(decodeSignedCookie(evil, pickled, now)), 'unsupported_pickle');
  });
});
