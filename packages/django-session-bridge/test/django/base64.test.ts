import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { b64Decode, b64Encode, standardB64Decode } from '../../src/django/base64.ts';

describe('base64 as django.core.signing and Python\'s base64 module do it', () => {
  it('encodes URL-safe without padding', () => {
    assert.equal(b64Encode(Buffer.from([0xfb, 0xff])), '-_8');
    assert.equal(b64Encode(Buffer.from('{}')), 'e30');
  });

  it('decodes URL-safe input after padding it', () => {
    assert.deepEqual(b64Decode('-_8'), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(b64Decode('e30'), Buffer.from('{}'));
  });

  it('is as lenient as binascii: the standard alphabet and stray characters pass, complete padding ends it', () => {
    assert.deepEqual(b64Decode('+/8'), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(b64Decode('e3!0='), Buffer.from('{}'));
    assert.equal(b64Decode('e3!0'), null, 'the padding is counted on the raw length');
    assert.deepEqual(b64Decode('e30=garbage'), Buffer.from('{}'));
  });

  it('refuses what Python refuses', () => {
    assert.equal(b64Decode('e'), null, 'one character past a multiple of four');
    assert.equal(b64Decode('é30'), null, 'non-ASCII');
    assert.equal(standardB64Decode('e30'), null, 'incorrect padding');
    assert.deepEqual(standardB64Decode('e30='), Buffer.from('{}'));
  });
});
