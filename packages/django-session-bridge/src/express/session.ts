import type { RequestHandler } from 'express';
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import type { BridgeUser } from '../auth/user.ts';
import type { DjangoRequestContext } from '../web/request-context.ts';

declare global {
  // Express's own way to type what middleware adds to a request.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** request.user: the logged-in user with Django's permission methods, or null (set by djangoSession). */
      user?: BridgeUser | null;
      /** The DjangoAuth and its verdict on this request (set by djangoSession; the guards and CSRF read it). */
      django?: DjangoRequestContext;
      /** get_token(): a fresh masked CSRF token (set by csrfProtection); null with CSRF_USE_SESSIONS and no secret. */
      csrfToken?: () => string | null;
    }
  }
}

/**
 * Express middleware: Django's verdict on every request before the next handler, as `req.user` (the user
 * or null), `res.locals.loggedIn` and `res.locals.user`. The response varies with the Cookie header. A
 * database or cache that does not answer goes to `next(err)` as DjangoAuthUnavailableError, whose status
 * 503 Express's default error handler answers.
 *
 * @example app.use(djangoSession(auth)); app.get('/', (req, res) => res.send(req.user?.username ?? 'anonymous'));
 */
export function djangoSession(auth: DjangoAuth): RequestHandler {
  return async function djangoSession(req, res, next) {
    res.vary('Cookie');
    let verdict;
    try {
      verdict = await auth.authenticate(req);
    } catch (error) {
      next(error);
      return;
    }
    req.user = verdict.user;
    req.django = { auth, verdict };
    res.locals.loggedIn = verdict.loggedIn;
    res.locals.user = verdict.user;
    next();
  };
}
