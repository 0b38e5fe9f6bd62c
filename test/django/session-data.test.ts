import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saltedHmac } from '../../src/django/crypto.ts';
import { decodeSessionData, decodeSignedCookie } from '../../src/django/session-data.ts';
import { SESSION_SALT, SIGNED_COOKIES_SALT, type DjangoSettings } from '../../src/django/settings.ts';
import { signObject } from '../../src/django/signing.ts';

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
    assert.deepEqual(decodeSessionData(signed({ a: 1 }), settings), { ok: true, session: { a: 1 }, keyIndex: 0, format: 'signed' });
    assert.deepEqual(decodeSessionData(signed({ a: 1 }, 'old'), settings), { ok: true, session: { a: 1 }, keyIndex: 1, format: 'signed' });
  });

  it('reads the pre-3.1 format only under Django 3.1/3.2 rules', () => {
    const data = legacy('{"a":1}');
    assert.deepEqual(decodeSessionData(data, { ...settings, acceptLegacy: true }), { ok: true, session: { a: 1 }, keyIndex: 0, format: 'legacy' });
    assert.deepEqual(decodeSessionData(data, settings), { ok: false, reason: 'legacy_format_disabled' });
    assert.deepEqual(decodeSessionData(legacy('{"a":1}', 'other'), { ...settings, acceptLegacy: true }), { ok: false, reason: 'bad_signature' });
  });

  it('refuses pickles, non-JSON and non-objects inside a valid signature', () => {
    const resign = (payload: Buffer) => {
      const value = `${payload.toString('base64url')}:1r30im`;
      return `${value}:${saltedHmac(`${SESSION_SALT}signer`, value, 'current', 'sha256').toString('base64url')}`;
    };
    assert.deepEqual(decodeSessionData(resign(Buffer.from([0x80, 0x04, 0x95])), settings), { ok: false, reason: 'pickled' });
    assert.deepEqual(decodeSessionData(resign(Buffer.from('not json')), settings), { ok: false, reason: 'not_json' });
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
