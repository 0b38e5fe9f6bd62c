import type { TLSSocket } from 'node:tls';
import type { Request, RequestHandler } from 'express';
import { csrfCheck, type CsrfOptions } from '../web/csrf.ts';
import { DEFAULT_FORM_LIMIT, readUrlEncodedBody } from '../web/form-body.ts';
import { formFields, formTokenOf } from '../web/form-token.ts';
import { LazyCsrfToken } from '../web/lazy-token.ts';
import { nodeHeader, requireContext } from '../web/request-context.ts';

// A body parser that ran earlier left the form on req.body; otherwise it is read here, bounded, and left on
// req.body as express.urlencoded() would, which then finds the body read and skips it.
async function formToken(req: Request, limit: number): Promise<string> {
  req.body ??= formFields(await readUrlEncodedBody(req, limit));
  return formTokenOf(req.body);
}

/**
 * Django's CsrfViewMiddleware as Express middleware, after djangoSession: an unsafe request needs Django's
 * Origin or Referer checks and a token matching the CSRF cookie (or, with CSRF_USE_SESSIONS, the session's
 * secret), from the form's `csrfmiddlewaretoken` or the X-CSRFToken header. A refusal goes to
 * `next(CsrfFailureError)` (status 403), its reason in the message only under DEBUG. `req.csrfToken()` and
 * `res.locals.csrfToken` (minted when a template prints it) give tokens Django accepts; the CSRF cookie is
 * written as Django writes it.
 *
 * @example app.use(djangoSession(auth), csrfProtection()); app.post('/form', (req, res) => res.send('saved'));
 */
export function csrfProtection(options: CsrfOptions = {}): RequestHandler {
  const limit = options.formLimit ?? DEFAULT_FORM_LIMIT;
  return async function csrfProtection(req, res, next) {
    let refused;
    try {
      const { auth, verdict } = requireContext(req.django);
      const check = csrfCheck(auth.config, {
        method: req.method,
        header: (name) => nodeHeader(req.headers, name),
        connectionSecure: (req.socket as TLSSocket).encrypted === true,
        session: verdict.session,
      }, options);
      // Express has no hook after the handler: the cookie is written when it is owed, before the body goes.
      const writeCookie = () => {
        const cookie = check.takeCookie();
        if (cookie === null || res.headersSent) return;
        res.append('Set-Cookie', cookie);
        res.vary('Cookie');
      };
      const mint = () => {
        const token = check.token();
        writeCookie();
        return token;
      };
      req.csrfToken = mint;
      res.locals.csrfToken = check.offersToken ? new LazyCsrfToken(() => mint()!) : null;
      refused = await check.verify(() => formToken(req, limit));
      writeCookie();
    } catch (error) {
      next(error);
      return;
    }
    next(refused ?? undefined);
  };
}
