import type { TLSSocket } from 'node:tls';
import type {} from '@koa/bodyparser';
import { stringifySetCookie } from 'cookie';
import type { Context, Middleware } from 'koa';
import type { CsrfConfig } from '../config.ts';
import { parseCookieHeader } from '../django/cookies.ts';
import { checkCsrf, CSRF_FORM_FIELD, CSRF_SESSION_KEY, getToken, isSafeMethod, loadCsrfState, type CsrfState, type RandomCsrfString, randomCsrfString } from '../django/csrf.ts';
import { metaToHeader, requestOrigin, type ProxySettings } from '../django/request-origin.ts';
import type { Logger } from '../logger.ts';

export interface CsrfOptions {
  csrf: CsrfConfig;
  proxy: ProxySettings;
  logger: Logger;
  isApi: (path: string) => boolean;
  /** Milliseconds since the epoch, for the cookie's Expires; tests pass their own. */
  now?: () => number;
  random?: RandomCsrfString;
}

const FAILURE = 'CSRF verification failed. Request aborted.';

function formToken(ctx: Context): string {
  if (ctx.method !== 'POST' || !ctx.is('urlencoded')) return '';
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[CSRF_FORM_FIELD];
  // A repeated field is a list: Django's QueryDict.get() takes the last one.
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
}

function setCookie(ctx: Context, csrf: CsrfConfig, value: string, now: number): void {
  ctx.append('Set-Cookie', stringifySetCookie({
    name: csrf.cookieName,
    value,
    ...(csrf.cookieAge === null ? {} : { maxAge: csrf.cookieAge, expires: new Date(now + csrf.cookieAge * 1000) }),
    ...(csrf.cookieDomain === null ? {} : { domain: csrf.cookieDomain }),
    path: csrf.cookiePath,
    secure: csrf.cookieSecure,
    httpOnly: csrf.cookieHttpOnly,
    ...(csrf.cookieSameSite === false ? {} : { sameSite: csrf.cookieSameSite.toLowerCase() as 'lax' | 'strict' | 'none' }),
  }));
  ctx.vary('Cookie');
}

/**
 * CsrfViewMiddleware for every route of the service, before routing: unsafe methods need Django's Origin or
 * Referer and token checks, failing with Django's reason; ctx.state.csrfToken mints a token Django accepts
 * (lazily, as get_token() does), and the cookie is written back as Django would. With CSRF_USE_SESSIONS
 * the secret is the session's _csrftoken: this service never writes Django's session, so without one there
 * is no token to offer (csrfToken is null) and an unsafe request is refused, as Django would refuse it.
 */
export function csrfProtection({ csrf, proxy, logger, isApi, now = Date.now, random = randomCsrfString }: CsrfOptions): Middleware {
  const headerName = metaToHeader(csrf.headerName)!;

  function stored(ctx: Context): unknown {
    if (csrf.useSessions) return (ctx.state.session as Record<string, unknown> | null)?.[CSRF_SESSION_KEY];
    const header = ctx.get('Cookie');
    return header ? parseCookieHeader(header).get(csrf.cookieName) : undefined;
  }

  // Each read is one get_token() call, a fresh mask each time. koa-views copies ctx.state once per render,
  // so a rendered page mints one token and renews the cookie (as a Django page with {% csrf_token %}
  // does), while a JSON answer that never reads it leaves the cookie alone.
  function offerToken(ctx: Context, state: CsrfState): void {
    Object.defineProperty(ctx.state, 'csrfToken', {
      enumerable: true,
      get: () => (csrf.useSessions && state.cookie === null ? null : getToken(state, csrf, random).token),
    });
  }

  return async function csrfProtection(ctx, next) {
    const origin = requestOrigin(ctx.headers, (ctx.req.socket as TLSSocket).encrypted === true, proxy);
    ctx.state.requestOrigin = origin;
    const state = loadCsrfState(stored(ctx), csrf, random);
    offerToken(ctx, state);
    const writeBack = () => {
      if (state.needsUpdate && !csrf.useSessions && state.cookie !== null) setCookie(ctx, csrf, state.cookie, now());
    };
    if (!isSafeMethod(ctx.method)) {
      const header = ctx.headers[headerName];
      const verdict = checkCsrf({
        method: ctx.method,
        ...origin,
        origin: ctx.headers.origin,
        referer: ctx.headers.referer,
        formToken: formToken(ctx),
        headerToken: Array.isArray(header) ? header.join(', ') : header,
      }, state, csrf, random);
      if (!verdict.ok) {
        logger.warn({ requestId: ctx.state.requestId, reason: verdict.reason, path: ctx.path }, 'Forbidden (CSRF)');
        ctx.status = 403;
        if (isApi(ctx.path)) ctx.body = { error: FAILURE, reason: verdict.reason, status: 403 };
        else await ctx.render('layout.ejs', { view: 'csrf-failure', title: 'Forbidden (403)', reason: verdict.reason });
        ctx.status = 403;
        writeBack();
        return;
      }
    }
    await next();
    writeBack();
  };
}
