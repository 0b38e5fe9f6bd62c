import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';

// What koa-helmet must put on every response, whatever its status.
const HELMET: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'strict-transport-security': /^max-age=\d{7,}; includeSubDomains$/,
  'referrer-policy': /^same-origin$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'x-dns-prefetch-control': /^off$/,
  'x-permitted-cross-domain-policies': /^none$/,
};
const CSP: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'script-src-attr': "'none'",
  'object-src': "'none'",
  'frame-ancestors': "'self'",
  'base-uri': "'self'",
  'form-action': "'self'",
};

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((directive) => {
    const [name = '', ...values] = directive.trim().split(/\s+/);
    return [name, values.join(' ')];
  }));
}

describe('security headers on every response', () => {
  let fixture: Fixture;
  let aliceKey: string;

  before(async () => {
    fixture = await createFixture();
    const alice = await insertUser(fixture.django, { username: 'alice' });
    aliceKey = await insertSession(fixture.django, encodeSession(loginSession(alice, await userPassword(fixture.django, alice), SECRET_KEY), SECRET_KEY));
  });
  after(() => fixture.close());

  function assertHelmet(headers: Record<string, string>, what: string): void {
    for (const [name, pattern] of Object.entries(HELMET)) assert.match(headers[name] ?? '', pattern, `${what}: ${name}`);
    const policy = directives(headers['content-security-policy'] ?? '');
    for (const [name, value] of Object.entries(CSP)) assert.equal(policy.get(name), value, `${what}: Content-Security-Policy ${name}`);
    assert.equal(headers['x-powered-by'], undefined, `${what}: x-powered-by`);
  }

  it('pages, the API, health, metrics and 404s', async () => {
    const { app } = fixture.app();
    for (const [path, status] of [['/elixir/', 200], ['/elixir/api/me', 200], ['/elixir/healthz', 200], ['/elixir/metrics', 200], ['/elixir/nope', 404]] as const) {
      const res = await request(app.callback()).get(path).set('Cookie', `sessionid=${aliceKey}`).expect(status);
      assertHelmet(res.headers, path);
    }
  });

  it('503 pages when the database is down', async () => {
    const { app } = fixture.app({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none', DB_TIMEOUT_MS: '300' });
    for (const path of ['/elixir/', '/elixir/api/me']) {
      const res = await request(app.callback()).get(path).set('Cookie', `sessionid=${aliceKey}`).expect(503);
      assertHelmet(res.headers, `${path} (503)`);
      assert.equal(res.headers['retry-after'], '5');
    }
  });

  it('what depends on the session is never cached for someone else: Cache-Control no-store, Vary Cookie', async () => {
    const { app } = fixture.app();
    for (const path of ['/elixir/', '/elixir/api/me']) {
      for (const cookie of [`sessionid=${aliceKey}`, '']) {
        const res = await request(app.callback()).get(path).set('Cookie', cookie).expect(200);
        assert.equal(res.headers['cache-control'], 'no-store', path);
        assert.match(res.headers.vary ?? '', /\bCookie\b/, path);
      }
    }
    const down = fixture.app({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none', DB_TIMEOUT_MS: '300' });
    const res = await request(down.app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(503);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('the page has no inline script for the policy to have to allow', async () => {
    const { app } = fixture.app();
    const res = await request(app.callback()).get('/elixir/').set('Cookie', `sessionid=${aliceKey}`).expect(200);
    assert.doesNotMatch(res.text, /<script\b/i);
    assert.doesNotMatch(res.text, /\son[a-z]+\s*=/i);
  });
});
