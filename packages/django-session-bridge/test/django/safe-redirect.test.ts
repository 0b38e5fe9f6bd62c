import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { urlHasAllowedHostAndScheme } from '../../src/django/safe-redirect.ts';

// Django's own cases: tests/utils_tests/test_http.py, URLHasAllowedHostAndSchemeTests.
const BAD_URLS = [
  'http://example.com',
  'http:///example.com',
  'https://example.com',
  'ftp://example.com',
  '\\\\example.com',
  '\\\\\\example.com',
  '/\\\\/example.com',
  '\\\\//example.com',
  '/\\/example.com',
  '\\/example.com',
  '/\\example.com',
  'http:/\\//example.com',
  'http:\\/example.com',
  'http:/\\example.com',
  'javascript:alert("XSS")',
  '\njavascript:alert(x)',
  'java\nscript:alert(x)',
  '\x08//example.com',
  'http://otherserver\\@example.com',
  'http:\\\\testserver\\@example.com',
  'http://testserver\\me:pass@example.com',
  'http://testserver\\@example.com',
  'http:\\\\testserver\\confirm\\me@example.com',
  'http:999999999',
  'ftp:9999999999',
  '\n',
  'http://[2001:cdba:0000:0000:0000:0000:3257:9652/',
  'http://2001:cdba:0000:0000:0000:0000:3257:9652]/',
];
const GOOD_URLS = [
  '/view/?param=http://example.com',
  '/view/?param=https://example.com',
  '/view?param=ftp://example.com',
  'view/?param=//example.com',
  'https://testserver/',
  'HTTPS://testserver/',
  '//testserver/',
  'http://testserver/confirm?email=me@example.com',
  '/url%20with%20spaces/',
  'path/http:2222222222',
];

describe('urlHasAllowedHostAndScheme (url_has_allowed_host_and_scheme)', () => {
  const hosts = new Set(['testserver']);
  it('refuses every one of Django\'s bad URLs', () => {
    for (const url of BAD_URLS) assert.equal(urlHasAllowedHostAndScheme(url, hosts), false, JSON.stringify(url));
  });
  it('accepts every one of Django\'s good URLs', () => {
    for (const url of GOOD_URLS) assert.equal(urlHasAllowedHostAndScheme(url, hosts), true, JSON.stringify(url));
  });
  it('takes basic-auth hosts, no hosts, and a single host as a string', () => {
    assert.equal(urlHasAllowedHostAndScheme('http://user:pass@testserver/', new Set(['user:pass@testserver'])), true);
    assert.equal(urlHasAllowedHostAndScheme('http://example.com', null), false);
    assert.equal(urlHasAllowedHostAndScheme('/confirm/me@example.com', null), true);
    assert.equal(urlHasAllowedHostAndScheme('http://good.com/good', 'good.com'), true);
    assert.equal(urlHasAllowedHostAndScheme('http://good.co/evil', 'good.com'), false);
  });
  it('requires https when asked', () => {
    for (const url of ['https://example.com/p', 'HTTPS://example.com/p', '/view/?param=http://example.com']) {
      assert.equal(urlHasAllowedHostAndScheme(url, new Set(['example.com']), true), true, url);
    }
    for (const url of ['http://example.com/p', 'ftp://example.com/p', '//example.com/p']) {
      assert.equal(urlHasAllowedHostAndScheme(url, new Set(['example.com']), true), false, url);
    }
  });
  it('refuses empty and overlong URLs', () => {
    for (const url of [null, undefined, '', '   ']) assert.equal(urlHasAllowedHostAndScheme(url, hosts), false);
    assert.equal(urlHasAllowedHostAndScheme(`/${'a'.repeat(2048)}`, hosts), false);
  });
});
