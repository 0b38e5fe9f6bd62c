import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSettings } from '../../src/config/options.ts';
import { csrfCheck, type CsrfRequestFacts } from '../../src/web/csrf.ts';
import { CsrfFailureError } from '../../src/web/errors.ts';

const SECRET = 'k7Qm2ZpX9aLc4TnV8bRw1YhJ6dFs3GeU';

function facts(method: string, headers: Record<string, string>): CsrfRequestFacts {
  return { method, header: (name) => headers[name], connectionSecure: false, session: null };
}

const neverRead = async (): Promise<string> => assert.fail('the form was read before a check that needs no body');

describe('csrfCheck: CsrfViewMiddleware from the request\'s facts', () => {
  const config = resolveSettings({ secretKey: 'x' });
  const form = { host: 'testserver', 'content-type': 'application/x-www-form-urlencoded' };

  it('refuses without reading the body when Django refuses before request.POST (Origin, no cookie)', async () => {
    const foreign = await csrfCheck(config, facts('POST', { ...form, cookie: `csrftoken=${SECRET}`, origin: 'https://evil.example' })).verify(neverRead);
    assert.equal(foreign?.reason, 'Origin checking failed - https://evil.example does not match any trusted origins.');
    const noCookie = await csrfCheck(config, facts('POST', form)).verify(neverRead);
    assert.equal(noCookie?.reason, 'CSRF cookie not set.');
  });

  it('reads the form token only for a URL-encoded POST, and accepts the secret\'s token', async () => {
    const check = csrfCheck(config, facts('GET', { host: 'testserver', cookie: `csrftoken=${SECRET}` }));
    const token = check.token()!;
    assert.equal(await csrfCheck(config, facts('POST', { ...form, cookie: `csrftoken=${SECRET}` })).verify(async () => token), null);
    const json = await csrfCheck(config, facts('POST', { host: 'testserver', 'content-type': 'application/json', cookie: `csrftoken=${SECRET}` })).verify(neverRead);
    assert.equal(json?.reason, 'CSRF token missing.');
    assert.equal(await csrfCheck(config, facts('PUT', { ...form, cookie: `csrftoken=${SECRET}`, 'x-csrftoken': token })).verify(neverRead), null);
  });

  it('shows the reason in the message only under DEBUG (the DjangoAuth\'s debug, or showReason)', async () => {
    const quiet = await csrfCheck(config, facts('POST', form)).verify(neverRead);
    assert.ok(quiet instanceof CsrfFailureError && quiet.status === 403);
    assert.equal(quiet.message, 'CSRF verification failed. Request aborted.');
    assert.equal(quiet.reason, 'CSRF cookie not set.');
    const debug = await csrfCheck(resolveSettings({ secretKey: 'x', debug: true }), facts('POST', form)).verify(neverRead);
    assert.equal(debug?.message, 'CSRF verification failed. Request aborted. Reason: CSRF cookie not set.');
    const shown = await csrfCheck(config, facts('POST', form), { showReason: true }).verify(neverRead);
    assert.match(shown!.message, /Reason: CSRF cookie not set\.$/);
  });

  it('owes the cookie once, after a token is minted', () => {
    const check = csrfCheck(config, facts('GET', { host: 'testserver' }), { random: () => SECRET, now: () => 0 });
    assert.equal(check.takeCookie(), null);
    check.token();
    check.token();
    assert.equal(check.takeCookie(), `csrftoken=${SECRET}; Expires=Thu, 31 Dec 1970 00:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax`);
    assert.equal(check.takeCookie(), null);
  });

  it('refuses a cookie setting that would write attributes of its own', () => {
    const bad = resolveSettings({ secretKey: 'x', csrfCookiePath: '/; Domain=evil.example' });
    const check = csrfCheck(bad, facts('GET', { host: 'testserver' }));
    check.token();
    assert.throws(() => check.takeCookie(), TypeError);
  });
});
