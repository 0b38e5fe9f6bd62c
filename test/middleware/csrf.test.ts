import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { parseSetCookie } from 'cookie';
import Koa from 'koa';
import request from 'supertest';
import type { Config } from '../../src/config.ts';
import { createDjangoAuthFromConfig } from 'django-session-bridge';
import { csrfProtection } from 'django-session-bridge/koa';
import { createLogger } from '../../src/logger.ts';
import { csrfFailurePage } from '../../src/middleware/csrf.ts';
import { views } from '../../src/middleware/views.ts';
import { testConfig } from '../helpers/app.ts';
import { atLeast } from '../helpers/at-least.ts';
import { loadCsrfVectors, replayRandom, type CsrfCaseSettings, type CsrfVectors, type CsrfVerdictCase } from '../helpers/csrf-vectors.ts';
import { VECTOR_FILES } from '../helpers/vectors.ts';

const VIEWS = fileURLToPath(new URL('../../views', import.meta.url));
const NOW = 1_700_000_000_000;

/** The service's configuration for a vector's Django settings, through the environment as in production. */
function configFor(vectors: CsrfVectors, s: CsrfCaseSettings = {}): Config {
  // DEBUG, so that the page shows the reason each refusal is checked by.
  const env: Record<string, string> = { DJANGO_VERSION: vectors.django_version, DJANGO_DEBUG: 'true' };
  if (s.trusted_origins) env.CSRF_TRUSTED_ORIGINS = JSON.stringify(s.trusted_origins);
  if (s.cookie_domain) env.CSRF_COOKIE_DOMAIN = s.cookie_domain;
  if (s.header_name) env.CSRF_HEADER_NAME = s.header_name;
  if (s.use_x_forwarded_host) env.USE_X_FORWARDED_HOST = 'true';
  if (s.secure_proxy_ssl_header) env.SECURE_PROXY_SSL_HEADER = s.secure_proxy_ssl_header.join(',');
  if (s.cookie_age !== undefined) env.CSRF_COOKIE_AGE = s.cookie_age === null ? 'None' : String(s.cookie_age);
  if (s.cookie_path) env.CSRF_COOKIE_PATH = s.cookie_path;
  if (s.cookie_secure) env.CSRF_COOKIE_SECURE = 'true';
  if (s.cookie_httponly) env.CSRF_COOKIE_HTTPONLY = 'true';
  if (s.cookie_samesite !== undefined) env.CSRF_COOKIE_SAMESITE = s.cookie_samesite === false ? 'False' : s.cookie_samesite;
  if (s.cookie_name) env.CSRF_COOKIE_NAME = s.cookie_name;
  if (s.use_sessions) env.CSRF_USE_SESSIONS = 'true';
  return testConfig('postgresql://127.0.0.1/unused', env);
}

/** The CSRF middleware and failure page as createApp mounts them, in front of one route that accepts every method. */
function csrfApp(config: Config, session: Record<string, unknown> | null, random?: () => string, calls = 1): Koa {
  const app = new Koa();
  const router = new Router();
  router.all('/elixir/', (ctx) => {
    ctx.body = ctx.method === 'GET' ? Array.from({ length: calls }, () => (ctx.state.getCsrfToken as () => string)()).join(',') : 'accepted';
  });
  app.use(views(VIEWS, { cache: true }));
  app.use(async (ctx, next) => {
    ctx.state.djangoAuth = createDjangoAuthFromConfig(config);
    ctx.state.session = session;
    ctx.state.loggedIn = false;
    await next();
  });
  app.use(csrfFailurePage({ logger: createLogger('silent'), isApi: (path) => path.startsWith('/elixir/api/') }));
  app.use(csrfProtection({ now: () => NOW, ...(random ? { random } : {}) }));
  app.use(bodyParser({ enableTypes: ['form', 'json'] }));
  app.use(router.routes());
  return app;
}

async function send(vectors: CsrfVectors, c: CsrfVerdictCase): Promise<request.Response> {
  const config = configFor(vectors, c.settings);
  const session = c.session_csrftoken === undefined ? null : c.session_csrftoken === null ? {} : { _csrftoken: c.session_csrftoken };
  const method = (c.method ?? 'POST').toLowerCase() as 'post';
  let req = request(csrfApp(config, session).callback())[method]('/elixir/').set({ host: 'testserver', ...c.headers });
  if (c.cookie !== null) req = req.set('Cookie', `${c.settings?.cookie_name ?? 'csrftoken'}=${c.cookie}`);
  if (c.form !== undefined) {
    const type = c.content_type ?? 'application/x-www-form-urlencoded';
    req = req.set('Content-Type', type).send(typeof c.form === 'string' ? c.form : new URLSearchParams(c.form).toString());
  }
  return req;
}

for (const file of VECTOR_FILES) {
  const vectors = loadCsrfVectors(file);
  describe(`CSRF middleware over HTTP against Django ${vectors.django_version}`, () => {
    // A TLS connection to the service itself is not how it runs; HTTPS reaches it through the proxy cases.
    for (const c of atLeast(55, vectors.verdicts.filter((v) => !v.connection_secure), 'CSRF verdicts over plain HTTP')) {
      it(`${c.name}: ${c.expected.ok ? 'accepted' : c.expected.reason}`, async () => {
        const res = await send(vectors, c);
        if (c.expected.ok) {
          assert.equal(res.status, 200, res.text);
          return;
        }
        assert.equal(res.status, 403);
        if (c.expected.reason) assert.ok(res.text.includes(c.expected.reason.replace(/'/g, '&#39;')), res.text);
      });
    }

    for (const m of vectors.mints) {
      it(`get_token over HTTP: ${m.name}`, async () => {
        const config = configFor(vectors, m.settings);
        const app = csrfApp(config, null, replayRandom(m.random), m.calls);
        let req = request(app.callback()).get('/elixir/').set('Host', 'testserver');
        if (m.cookie !== null) req = req.set('Cookie', `${config.csrf.cookieName}=${m.cookie}`);
        const res = await req.expect(200);
        assert.equal(res.text, m.tokens.join(','));
        const header = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
        assert.equal(header.length, m.set_cookie ? 1 : 0);
        if (!m.set_cookie) return;
        const cookie = parseSetCookie(header[0]!);
        const want = m.set_cookie;
        assert.equal(cookie.name, config.csrf.cookieName);
        assert.equal(cookie.value, want.value);
        assert.equal(cookie.maxAge ?? null, want.max_age);
        assert.equal(cookie.expires !== undefined, want.has_expires);
        if (cookie.expires) assert.equal(cookie.expires.getTime(), Math.floor(NOW / 1000 + want.max_age!) * 1000);
        assert.equal(cookie.domain ?? null, want.domain);
        assert.equal(cookie.path, want.path);
        assert.equal(cookie.secure ?? false, want.secure);
        assert.equal(cookie.httpOnly ?? false, want.httponly);
        assert.equal(cookie.sameSite ? String(cookie.sameSite).toLowerCase() : null, want.samesite?.toLowerCase() ?? null);
        assert.match(String(res.headers.vary), /Cookie/);
      });
    }
  });
}

describe('the templates\' csrfToken, as Django\'s csrf context processor gives csrf_token', () => {
  function printingApp(print: (state: Record<string, unknown>) => string): Koa {
    const config = testConfig('postgresql://127.0.0.1/unused');
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.djangoAuth = createDjangoAuthFromConfig(config);
      await next();
    });
    app.use(csrfProtection({ now: () => NOW }));
    app.use((ctx) => {
      // What koa-views does with ctx.state before every render.
      ctx.body = print(Object.assign({}, ctx.state));
    });
    return app;
  }

  it('mints nothing and sets no cookie while it is only copied around', async () => {
    const res = await request(printingApp(() => 'no form').callback()).get('/elixir/').expect(200);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('is minted when printed, once per page (SimpleLazyObject), and then sets the cookie', async () => {
    const res = await request(printingApp((state) => `${String(state.csrfToken)},${JSON.stringify(state.csrfToken)}`).callback()).get('/elixir/').expect(200);
    const [printed, json] = res.text.split(',');
    assert.match(printed!, /^[A-Za-z0-9]{64}$/);
    assert.equal(json, JSON.stringify(printed));
    assert.equal((res.headers['set-cookie'] as unknown as string[]).length, 1);
  });
});
