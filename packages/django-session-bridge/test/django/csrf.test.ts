import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCsrf, getToken, loadCsrfState, maskCipherSecret, randomCsrfString, unmaskCipherToken, type CsrfRequest } from '../../src/django/csrf.ts';
import { metaToHeader, requestOrigin } from '../../src/django/request-origin.ts';
import { csrfSettingsFor, loadCsrfVectors, proxySettingsFor, replayRandom, type CsrfVectors, type CsrfVerdictCase } from '../../../../test/helpers/csrf-vectors.ts';
import { VECTOR_FILES } from '../../../../test/helpers/vectors.ts';

function csrfRequest(vectors: CsrfVectors, c: CsrfVerdictCase): CsrfRequest {
  const headers: Record<string, string> = { host: 'testserver', ...c.headers };
  const origin = requestOrigin(headers, c.connection_secure ?? false, proxySettingsFor(vectors, c.settings));
  const method = c.method ?? 'POST';
  const isForm = (c.content_type ?? 'application/x-www-form-urlencoded').endsWith('urlencoded');
  const form = typeof c.form === 'object' && isForm && method === 'POST' ? c.form : {};
  const headerName = metaToHeader(c.settings?.header_name ?? 'HTTP_X_CSRFTOKEN')!;
  return { method, ...origin, origin: headers.origin, referer: headers.referer, formToken: form.csrfmiddlewaretoken ?? '', headerToken: headers[headerName] };
}

for (const file of VECTOR_FILES) {
  const vectors = loadCsrfVectors(file);
  describe(`CSRF rules against Django ${vectors.django_version}`, () => {
    it('masks and unmasks like _mask_cipher_secret and _unmask_cipher_token', () => {
      for (const v of vectors.masks) {
        assert.equal(maskCipherSecret(v.secret, v.mask), v.token);
        assert.equal(unmaskCipherToken(v.token), v.secret);
      }
      for (const v of vectors.unmasks) assert.equal(unmaskCipherToken(v.token), v.secret);
    });

    for (const m of vectors.mints) {
      it(`get_token: ${m.name} (${m.description})`, () => {
        const settings = csrfSettingsFor(vectors, m.settings);
        const random = replayRandom(m.random);
        const state = loadCsrfState(m.cookie ?? undefined, settings, random);
        const tokens = Array.from({ length: m.calls }, () => getToken(state, settings, random).token);
        assert.deepEqual(tokens, m.tokens);
        assert.equal(state.needsUpdate, m.set_cookie !== null);
        assert.equal(state.cookie, m.set_cookie?.value);
      });
    }

    for (const c of vectors.verdicts) {
      it(`process_view: ${c.name} (${c.description})`, () => {
        const settings = csrfSettingsFor(vectors, c.settings);
        const stored = settings.useSessions ? c.session_csrftoken : c.cookie;
        const verdict = checkCsrf(csrfRequest(vectors, c), loadCsrfState(stored ?? undefined, settings), settings);
        if (c.expected.error) assert.equal(verdict.ok, false);
        else assert.deepEqual(verdict, c.expected.ok ? { ok: true } : { ok: false, reason: c.expected.reason });
      });
    }
  });
}

describe('randomCsrfString', () => {
  it('draws 32 of the 62 allowed characters, each about equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      const value = randomCsrfString();
      assert.match(value, /^[A-Za-z0-9]{32}$/);
      for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    // 64 000 draws: about 1032 per character; a modulo bias (bytes % 62) would put the first 8 near 1290.
    assert.equal(counts.size, 62);
    for (const [char, count] of counts) assert.ok(count > 850 && count < 1220, `${char}: ${count}`);
  });
});
