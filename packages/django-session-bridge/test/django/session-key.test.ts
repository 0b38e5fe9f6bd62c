import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSessionKey } from '../../src/django/session-key.ts';

describe('isSessionKey', () => {
  it('accepts what Django generates', () => {
    assert.ok(isSessionKey('f7v01q3goaydbczo21hsclv7armggrx6'));
    assert.ok(isSessionKey('a'.repeat(8)));
    assert.ok(isSessionKey('a'.repeat(40)));
  });

  it('refuses anything that cannot be a row', () => {
    for (const value of ['', 'a'.repeat(7), 'a'.repeat(41), 'ABCDEFGHIJ', "x' or 1=1--", 'abcdefgh\n', 'abcd efgh']) {
      assert.equal(isSessionKey(value), false, JSON.stringify(value));
    }
  });
});
