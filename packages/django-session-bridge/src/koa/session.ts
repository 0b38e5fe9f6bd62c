import type { Middleware } from 'koa';
import type { DjangoAuth, DjangoVerdict } from '../auth/create-django-auth.ts';
import { sessionCookieOf } from '../auth/request-cookie.ts';
import type { BridgeUser } from '../auth/user.ts';
import type { Reason, SessionDict } from '../django/index.ts';

/** What djangoSession puts on ctx.state. */
export interface DjangoSessionState {
  /** Whether Django would say request.user.is_authenticated. */
  loggedIn: boolean;
  /** request.user: the logged-in user with Django's permission methods, or null. */
  user: BridgeUser | null;
  /** The reason code of the verdict. */
  authReason: Reason;
  /** The decoded session, or null. */
  session: SessionDict | null;
  /** The session cookie's value, when there is one (also when the lookup failed). Never log it. */
  sessionCookie: string | undefined;
  /** The DjangoAuth this request was decided by (the guards and CSRF read its settings). */
  djangoAuth: DjangoAuth;
}

/** Puts a verdict on ctx.state. */
export function setVerdictState(state: Record<string, unknown>, auth: DjangoAuth, verdict: DjangoVerdict): void {
  state.djangoAuth = auth;
  state.loggedIn = verdict.loggedIn;
  state.user = verdict.user;
  state.authReason = verdict.reason;
  state.session = verdict.session;
  state.sessionCookie = verdict.sessionKey;
}

/** The DjangoAuth djangoSession left on ctx.state; the guards and CSRF cannot work without it. */
export function djangoAuthOf(state: Record<string, unknown>): DjangoAuth {
  const auth = state.djangoAuth as DjangoAuth | undefined;
  if (auth === undefined) throw new Error('app.use(djangoSession(auth)) must come before the guards and csrfProtection');
  return auth;
}

/**
 * Koa middleware: Django's verdict on ctx.state (DjangoSessionState) before the next middleware runs. The
 * response varies with the Cookie header (Vary: Cookie), so no shared cache hands one visitor's page to
 * another. A database or cache that does not answer throws DjangoAuthUnavailableError (status 503).
 *
 * @example app.use(djangoSession(auth));
 */
export function djangoSession(auth: DjangoAuth): Middleware {
  return async function djangoSession(ctx, next) {
    ctx.vary('Cookie');
    let verdict;
    try {
      verdict = await auth.authenticate(ctx.req);
    } catch (error) {
      // No verdict, but the request's log still names the session it could not decide (by its hash).
      ctx.state.sessionCookie = sessionCookieOf(ctx.req, auth.config.sessionCookieName);
      throw error;
    }
    setVerdictState(ctx.state, auth, verdict);
    await next();
  };
}
