import type { TLSSocket } from 'node:tls';
import type {} from '@koa/bodyparser';
import { stringifySetCookie } from 'cookie';
import type { Context, Middleware } from 'koa';
import type { CsrfConfig } from '../config.ts';
import { parseCookieHeader } from 'django-session-bridge/django';
import { checkCsrf, CSRF_FORM_FIELD, CSRF_SESSION_KEY, getToken, isSafeMethod, loadCsrfState, type CsrfState, type RandomCsrfString, randomCsrfString } from 'django-session-bridge/django';
import { metaToHeader, requestOrigin, type ProxySettings } from 'django-session-bridge/django';
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

/** A template's csrf_token: minted by the first String() of it (EJS's <%= %>) or JSON of it, then kept. */
class LazyToken {
  #token: string | undefined;
  readonly #mint: () => string;
  constructor(mint: () => string) {
    this.#mint = mint;
  }
  toString(): string {
    this.#token ??= this.#mint();
    return this.#token;
  }
  toJSON(): string {
    return this.toString();
  }
}

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
 * Referer and token checks, failing with Django's reason; ctx.state.getCsrfToken() and ctx.state.csrfToken
 * mint tokens Django accepts (see offerToken), and the cookie is written back as Django would. With
 * CSRF_USE_SESSIONS the secret is the session's _csrftoken: this service never writes Django's session, so
 * without one there is no token to offer (both are null) and an unsafe request is refused, as Django would.
 */
export function csrfProtection({ csrf, proxy, logger, isApi, now = Date.now, random = randomCsrfString }: CsrfOptions): Middleware {
  const headerName = metaToHeader(csrf.headerName)!;

  function stored(ctx: Context): unknown {
    if (csrf.useSessions) return (ctx.state.session as Record<string, unknown> | null)?.[CSRF_SESSION_KEY];
    const header = ctx.get('Cookie');
    return header ? parseCookieHeader(header).get(csrf.cookieName) : undefined;
  }

  // ctx.state.getCsrfToken() is get_token(): a fresh mask per call. ctx.state.csrfToken is what Django's
  // csrf context processor gives templates, SimpleLazyObject(get_token): minted when a page first prints it,
  // the same token after that. koa-views copies ctx.state into every render, so only an object whose
  // printing mints keeps a page without a form from minting: such a page, like Django's, sets no cookie.
  function offerToken(ctx: Context, state: CsrfState): void {
    if (csrf.useSessions && state.cookie === null) {
      ctx.state.getCsrfToken = () => null;
      ctx.state.csrfToken = null;
      return;
    }
    const mint = () => getToken(state, csrf, random).token;
    ctx.state.getCsrfToken = mint;
    ctx.state.csrfToken = new LazyToken(mint);
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
