import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookieHeader } from '../../src/django/cookies.ts';
import { userLookup, verdictFor } from '../../src/django/get-user.ts';
import { isAsciiSpace, isIntSpace, isPythonSpace, pythonStrip } from '../../src/django/python-whitespace.ts';
import { decodeSessionData } from '../../src/django/session-data.ts';
import { requestOrigin } from '../../src/django/request-origin.ts';
import { parseUserId } from '../../src/django/user-id.ts';
import { toDjangoUser } from '../../../../test/helpers/vectors.ts';
import { loadWhitespaceVectors, WHITESPACE_VECTOR_FILES, whitespaceSettings } from '../../../../test/helpers/whitespace-vectors.ts';

describe("Python's whitespace rules", () => {
  it('str.strip(), int() and bytes.strip() differ from trim() where Python says they do', () => {
    assert.equal(pythonStrip('\x1c\x85 a\u3000\x1f'), 'a');
    assert.equal(pythonStrip('\ufeffa\ufeff'), '\ufeffa\ufeff');
    assert.equal('\ufeffa'.trim(), 'a', 'JavaScript strips U+FEFF');
    assert.equal(parseUserId('\x1c1'), null);
    assert.equal(parseUserId('\x851\u3000'), 1n);
    assert.ok(!isIntSpace(0x1c) && isPythonSpace(0x1c));
    assert.ok(!isAsciiSpace(0x85) && isIntSpace(0x85));
  });
});

for (const file of WHITESPACE_VECTOR_FILES) {
  const vectors = loadWhitespaceVectors(file);
  const settings = whitespaceSettings(vectors);
  const users = vectors.users.map(toDjangoUser);

  describe(`whitespace as Django ${vectors.django_version} (Python ${vectors.python_version}) strips it`, () => {
    it('str.isspace() for every UTF-16 code unit', () => {
      assert.equal(vectors.python_spaces.length, 29);
      const spaces = new Set(vectors.python_spaces);
      for (let code = 0; code <= 0xffff; code += 1) assert.equal(isPythonSpace(code), spaces.has(code), `U+${code.toString(16)}`);
    });

    it('covers every isspace() code point before, after and around the id, and the cookie strip', () => {
      assert.ok(vectors.user_id_cases.length >= 3 * 29 + 9, `${vectors.user_id_cases.length} user id cases`);
      assert.ok(vectors.user_id_cases.filter((c) => c.expected.error !== null).length >= 12, 'cases where Django raises');
      assert.ok(vectors.cookie_cases.length >= 29 + 3, `${vectors.cookie_cases.length} cookie cases`);
    });

    it("_auth_user_id with whitespace: get_user()'s verdict, and never a login where Django raises", () => {
      for (const c of vectors.user_id_cases) {
        const decoded = decodeSessionData(c.session_data, settings);
        assert.ok(decoded.ok, c.name);
        const lookup = userLookup(decoded.session, settings);
        const verdict = lookup.kind === 'anonymous' ? null : verdictFor(decoded.session, lookup.backend, users.find((u) => u.id === lookup.userId) ?? null, settings);
        assert.equal(verdict?.loggedIn ?? false, c.expected.authenticated, c.name);
        if (c.expected.error !== null) assert.equal(parseUserId(c.user_id), null, `${c.name}: Django raises ${c.expected.error}`);
        if (c.expected.authenticated) assert.equal(verdict?.user?.id, BigInt(c.expected.user_id as number), c.name);
      }
    });

    it('the Cookie header: parse_cookie() strips names and values with str.strip()', () => {
      for (const c of vectors.cookie_cases) assert.deepEqual(Object.fromEntries(parseCookieHeader(c.header)), c.parsed, c.name);
    });
  });
}

describe('SECURE_PROXY_SSL_HEADER on Django 4.1+', () => {
  it('compares the first value str.strip()ped: U+0085 is stripped, U+FEFF is not', () => {
    const settings = { useXForwardedHost: false, secureProxySslHeader: { header: 'HTTP_X_FORWARDED_PROTO', value: 'https' }, firstProxyValue: true };
    assert.equal(requestOrigin({ 'x-forwarded-proto': '\x85https\x1c, http', host: 'a' }, false, settings).secure, true);
    assert.equal(requestOrigin({ 'x-forwarded-proto': '\ufeffhttps', host: 'a' }, false, settings).secure, false);
  });
});
