import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { constantTimeEquals, saltedHmac } from '../../src/django/crypto.ts';

describe('crypto', () => {
  it('salted_hmac keys the HMAC with hash(key_salt + secret)', () => {
    const key = createHash('sha256').update('saltsecret').digest();
    assert.deepEqual(saltedHmac('salt', 'value', 'secret', 'sha256'), createHmac('sha256', key).update('value').digest());
  });

  it('compares strings of any length without throwing', () => {
    assert.equal(constantTimeEquals('abc', 'abc'), true);
    assert.equal(constantTimeEquals('abc', 'abd'), false);
    assert.equal(constantTimeEquals('abc', 'abcd'), false);
    assert.equal(constantTimeEquals('', ''), true);
    assert.equal(constantTimeEquals('é', 'é'), true);
  });
});
