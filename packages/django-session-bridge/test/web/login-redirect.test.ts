import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loginRedirectUrl, nextForLogin } from '../../src/web/login-redirect.ts';

describe('redirect_to_login', () => {
  it('quotes next as QueryDict.urlencode(safe="/") does, replacing a next already in LOGIN_URL', () => {
    assert.equal(loginRedirectUrl('/accounts/login/', '/elixir/account/?a=1&b=x y'), '/accounts/login/?next=/elixir/account/%3Fa%3D1%26b%3Dx+y');
    assert.equal(loginRedirectUrl('/login/?next=/old/&lang=fr', "/p/!'()*~"), '/login/?lang=fr&next=/p/%21%27%28%29%2A~');
    assert.equal(loginRedirectUrl('/login/', '/p/', 'back'), '/login/?back=/p/');
  });

  it('sends the full path to a log-in page on this site, the absolute URL to one elsewhere (user_passes_test)', () => {
    const page = { fullPath: '/p/?x=1', secure: false, host: 'site.example' };
    assert.equal(nextForLogin('/accounts/login/', page), '/p/?x=1');
    assert.equal(nextForLogin('http://site.example/login/', page), '/p/?x=1');
    assert.equal(nextForLogin('https://site.example/login/', page), 'http://site.example/p/?x=1');
    assert.equal(nextForLogin('https://sso.example/login/', { ...page, secure: true }), 'https://site.example/p/?x=1');
  });
});
