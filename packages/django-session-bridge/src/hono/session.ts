import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import { DjangoAuthUnavailableError } from '../auth/unavailable.ts';
import type { BridgeUser } from '../auth/user.ts';
import type { DjangoRequestContext } from '../web/request-context.ts';

/** The Hono environment djangoSession and csrfProtection fill: type your app `new Hono<DjangoSessionEnv>()`. */
export interface DjangoSessionEnv {
  Variables: {
    /** request.user: the logged-in user with Django's permission methods, or null. */
    user: BridgeUser | null;
    /** The DjangoAuth and its verdict on this request (the guards and CSRF read it). */
    django: DjangoRequestContext;
    /** get_token() (set by csrfProtection): a fresh masked CSRF token; null with CSRF_USE_SESSIONS and no secret. */
    csrfToken: () => string | null;
  };
}

/**
 * Hono middleware: Django's verdict on every request before the next handler, as `c.get('user')` (the user
 * or null). Responses vary with the Cookie header. A database or cache that does not answer becomes an
 * HTTPException with status 503 (its cause the DjangoAuthUnavailableError), which Hono answers as such.
 *
 * @example const app = new Hono<DjangoSessionEnv>(); app.use(djangoSession(auth));
 */
export function djangoSession(auth: DjangoAuth): MiddlewareHandler<DjangoSessionEnv> {
  return async function djangoSession(c, next) {
    let verdict;
    try {
      verdict = await auth.authenticate(c.req.raw);
    } catch (error) {
      if (error instanceof DjangoAuthUnavailableError) throw new HTTPException(503, { message: error.message, cause: error });
      throw error;
    }
    c.set('user', verdict.user);
    c.set('django', { auth, verdict });
    await next();
    c.header('Vary', 'Cookie', { append: true });
  };
}
