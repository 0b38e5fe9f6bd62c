import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { b62Decode, b62Encode } from '../../src/django/base62.ts';

describe('base62', () => {
  it('round-trips timestamps', () => {
    for (const value of [0, 1, 61, 62, 1_700_000_000, Math.floor(Date.now() / 1000)]) assert.equal(b62Decode(b62Encode(value)), value);
  });

  it('uses Django\'s alphabet (digits, upper case, lower case)', () => {
    assert.equal(b62Encode(61), 'z');
    assert.equal(b62Encode(62), '10');
    assert.equal(b62Encode(-62), '-10');
  });

  it('refuses characters outside the alphabet and the empty string', () => {
    assert.equal(b62Decode('1r30-m'), null);
    assert.equal(b62Decode(''), null);
  });
});
