import type { TLSSocket } from 'node:tls';
import type { Context, Middleware } from 'koa';
import type { SessionDict } from '../django/index.ts';
import { csrfCheck, type CsrfOptions } from '../web/csrf.ts';
import { DEFAULT_FORM_LIMIT, readUrlEncodedBody } from '../web/form-body.ts';
import { formFields, formTokenOf } from '../web/form-token.ts';
import { LazyCsrfToken } from '../web/lazy-token.ts';
import { nodeHeader } from '../web/request-context.ts';
import { djangoAuthOf } from './session.ts';

/** What csrfProtection puts on ctx.state. */
export interface CsrfState {
  /** get_token(): a fresh masked token per call; null with CSRF_USE_SESSIONS and no secret in the session. */
  getCsrfToken: () => string | null;
  /** A template's csrf_token: minted when first printed (LazyCsrfToken), or null as getCsrfToken is. */
  csrfToken: LazyCsrfToken | null;
}

// The form's token. A body parser that ran earlier left its fields on ctx.request.body; otherwise the form is
// read here, bounded, and left there in the shape body parsers give it, so a parser after this one skips it.
async function formToken(ctx: Context, limit: number): Promise<string> {
  const request = ctx.request as { body?: unknown };
  if (request.body === undefined) request.body = formFields(await readUrlEncodedBody(ctx.req, limit));
  return formTokenOf(request.body);
}

/**
 * Django's CsrfViewMiddleware as Koa middleware, after djangoSession and before any body parser: an unsafe
 * request needs Django's Origin or Referer checks and a token matching the CSRF cookie (or, with
 * CSRF_USE_SESSIONS, the session's secret), from the form's `csrfmiddlewaretoken` or the X-CSRFToken header.
 * A refusal throws CsrfFailureError (403) for the app's error handling, its reason shown only under DEBUG.
 * Pages get tokens Django accepts on ctx.state (CsrfState), and the CSRF cookie is written back as Django
 * writes it.
 *
 * @example app.use(djangoSession(auth)); app.use(csrfProtection()); app.use(bodyParser());
 */
export function csrfProtection(options: CsrfOptions = {}): Middleware {
  const limit = options.formLimit ?? DEFAULT_FORM_LIMIT;
  return async function csrfProtection(ctx, next) {
    const check = csrfCheck(djangoAuthOf(ctx.state).config, {
      method: ctx.method,
      header: (name) => nodeHeader(ctx.req.headers, name),
      connectionSecure: (ctx.req.socket as TLSSocket).encrypted === true,
      session: (ctx.state.session as SessionDict | null | undefined) ?? null,
    }, options);
    const writeBack = () => {
      const cookie = check.takeCookie();
      if (cookie === null) return;
      ctx.append('Set-Cookie', cookie);
      ctx.vary('Cookie');
    };
    const mint = () => check.token();
    ctx.state.getCsrfToken = mint;
    ctx.state.csrfToken = check.offersToken ? new LazyCsrfToken(() => mint()!) : null;
    const refused = await check.verify(() => formToken(ctx, limit));
    if (refused) {
      writeBack();
      throw refused;
    }
    await next();
    writeBack();
  };
}
