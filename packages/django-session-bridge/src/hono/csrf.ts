import type { MiddlewareHandler } from 'hono';
import { csrfCheck, type CsrfOptions } from '../web/csrf.ts';
import { DEFAULT_FORM_LIMIT, readWebUrlEncodedBody } from '../web/form-body.ts';
import { formTokenOf } from '../web/form-token.ts';
import { requireContext } from '../web/request-context.ts';
import { asHttpException } from './errors.ts';
import type { DjangoSessionEnv } from './session.ts';

/**
 * Django's CsrfViewMiddleware as Hono middleware, after djangoSession: an unsafe request needs Django's
 * Origin or Referer checks and a token matching the CSRF cookie (or, with CSRF_USE_SESSIONS, the session's
 * secret), from the form's `csrfmiddlewaretoken` (read from a copy of the body, bounded, so the handler can
 * still read it) or the X-CSRFToken header. A refusal throws an HTTPException 403 (its cause a
 * CsrfFailureError), the reason in its message only under DEBUG. `c.get('csrfToken')()` gives tokens Django
 * accepts; the CSRF cookie is written as Django writes it.
 *
 * @example app.use(djangoSession(auth), csrfProtection()); app.post('/form', (c) => c.text('saved'));
 */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler<DjangoSessionEnv> {
  const limit = options.formLimit ?? DEFAULT_FORM_LIMIT;
  return async function csrfProtection(c, next) {
    const { auth, verdict } = requireContext(c.get('django'));
    const check = csrfCheck(auth.config, {
      method: c.req.method,
      header: (name) => c.req.header(name),
      // The URL's scheme: a TLS socket under @hono/node-server (or an absolute request target, which only the
      // requester itself writes: a cross-site page cannot). A proxy's scheme header is read from the settings.
      connectionSecure: new URL(c.req.url).protocol === 'https:',
      session: verdict.session,
    }, options);
    c.set('csrfToken', () => check.token());
    const writeCookie = () => {
      const cookie = check.takeCookie();
      if (cookie === null) return;
      c.header('Set-Cookie', cookie, { append: true });
      c.header('Vary', 'Cookie', { append: true });
    };
    const refused = await check.verify(async () => formTokenOf(await readWebUrlEncodedBody(c.req.raw, limit))).catch((error: unknown) => {
      throw asHttpException(error);
    });
    if (refused) throw asHttpException(refused);
    await next();
    writeCookie();
  };
}
