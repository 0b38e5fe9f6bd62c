import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { b62Encode } from '../../src/django/base62.ts';
import { b64Encode } from '../../src/django/base64.ts';
import { saltedHmac } from '../../src/django/crypto.ts';
import { signObject, unsignObject, type UnsignOptions } from '../../src/django/signing.ts';

const options: UnsignOptions = { keys: ['current', 'old'], salt: 'salt', acceptSha1: false, maxBytes: 1024 };

function signRaw(base64d: string, key: string, timestamp = 1_700_000_000): string {
  const value = `${base64d}:${b62Encode(timestamp)}`;
  return `${value}:${b64Encode(saltedHmac('saltsigner', value, key, 'sha256'))}`;
}

describe('signing', () => {
  it('unsigns what signObject signs, and says which key verified it', () => {
    const signed = signObject({ a: 1 }, { key: 'old', salt: 'salt', compress: false });
    assert.deepEqual(unsignObject(signed, options), { ok: true, payload: Buffer.from('{"a":1}'), keyIndex: 1 });
  });

  it('refuses other keys, other salts and SHA-1 unless asked', () => {
    assert.deepEqual(unsignObject(signObject({}, { key: 'other', salt: 'salt', compress: false }), options), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(unsignObject(signObject({}, { key: 'current', salt: 'pepper', compress: false }), options), { ok: false, reason: 'bad_signature' });
    const sha1 = signObject({}, { key: 'current', salt: 'salt', compress: false, algorithm: 'sha1' });
    assert.equal(unsignObject(sha1, options).ok, false);
    assert.equal(unsignObject(sha1, { ...options, acceptSha1: true }).ok, true);
  });

  it('checks max age against the clock it is given', () => {
    const signed = signObject({}, { key: 'current', salt: 'salt', compress: false, timestamp: 1000 });
    assert.equal(unsignObject(signed, { ...options, maxAge: 100, now: 1100 }).ok, true);
    assert.deepEqual(unsignObject(signed, { ...options, maxAge: 100, now: 1101 }), { ok: false, reason: 'signature_expired' });
  });

  it('names what is wrong inside a valid signature', () => {
    assert.deepEqual(unsignObject(`${signRaw('e30', 'current').split(':').slice(0, 1)}:sig`, options), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(unsignObject(signRaw('e', 'current'), options), { ok: false, reason: 'bad_base64' });
    assert.deepEqual(unsignObject(signRaw('.e30', 'current'), options), { ok: false, reason: 'bad_zlib' });
    const noTimestamp = `e30:${b64Encode(saltedHmac('saltsigner', 'e30', 'current', 'sha256'))}`;
    assert.deepEqual(unsignObject(noTimestamp, options), { ok: false, reason: 'bad_timestamp' });
  });

  it('stops inflating at maxBytes: a zip bomb is refused, not inflated', () => {
    const bomb = `.${b64Encode(deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20)))}`;
    const started = process.hrtime.bigint();
    assert.deepEqual(unsignObject(signRaw(bomb, 'current'), options), { ok: false, reason: 'too_large' });
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 500, 'refused quickly');
    assert.deepEqual(unsignObject(signRaw(b64Encode(Buffer.alloc(2048)), 'current'), options), { ok: false, reason: 'too_large' });
  });

  it('compresses only when it saves space, as Django does', () => {
    assert.ok(!signObject({ a: 1 }, { key: 'k', salt: 's', compress: true }).startsWith('.'));
    assert.ok(signObject({ a: 'x'.repeat(200) }, { key: 'k', salt: 's', compress: true }).startsWith('.'));
  });
});
