import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionAuthHash } from '../../src/django/auth-hash.ts';

describe('sessionAuthHash', () => {
  it('is a hex HMAC of the password, SHA-256 by default and SHA-1 for the 3.1/3.2 legacy hash', () => {
    assert.match(sessionAuthHash('pbkdf2_sha256$1$s$h', 'key'), /^[0-9a-f]{64}$/);
    assert.match(sessionAuthHash('pbkdf2_sha256$1$s$h', 'key', 'sha1'), /^[0-9a-f]{40}$/);
  });

  it('changes with the password and with the key', () => {
    const hash = sessionAuthHash('p', 'k');
    assert.notEqual(sessionAuthHash('q', 'k'), hash);
    assert.notEqual(sessionAuthHash('p', 'l'), hash);
  });
});
