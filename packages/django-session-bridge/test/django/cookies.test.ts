import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookieHeader } from '../../src/django/cookies.ts';

describe('parseCookieHeader: django.http.cookie.parse_cookie', () => {
  it('splits on ";" and the first "=", trimming whitespace', () => {
    assert.deepEqual([...parseCookieHeader(' a=1 ;b = x=y; c')], [['a', '1'], ['b', 'x=y'], ['', 'c']]);
  });

  it('keeps the last of duplicated names', () => {
    assert.equal(parseCookieHeader('sessionid=first; sessionid=second').get('sessionid'), 'second');
  });

  it('unquotes like http.cookies._unquote', () => {
    assert.equal(parseCookieHeader('a="x\\"y\\\\z\\054"').get('a'), 'x"y\\z,');
    assert.equal(parseCookieHeader('a="unterminated').get('a'), '"unterminated');
  });

  it('survives empty and odd headers', () => {
    assert.equal(parseCookieHeader('').size, 0);
    assert.equal(parseCookieHeader(';;;').size, 0);
  });
});
