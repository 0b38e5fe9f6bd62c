import type { Context } from 'koa';
import type { CredentialedUser, LoginOutcome, PasswordChange, PasswordChangeOutcome, SessionHeaders } from '../writes/index.ts';
import { changePasswordAndRespond, loginAndRespond, logoutAndRespond, type WriteTarget } from '../web/session-writes.ts';
import { djangoAuthOf } from './session.ts';

function target(ctx: Context): WriteTarget {
  return { input: ctx.req, appendHeader: (name, value) => (name === 'Vary' ? ctx.vary(value) : ctx.append(name, value)) };
}

/**
 * Django's login() for this request (after djangoSession): the session saved, its cookie and the rotated CSRF
 * cookie set on ctx. `user` comes from auth.checkCredentials(). Needs DATABASE_WRITE_URL.
 *
 * @example const user = await ctx.state.djangoAuth.checkCredentials(username, password); if (user) await login(ctx, user);
 */
export function login(ctx: Context, user: CredentialedUser): Promise<LoginOutcome> {
  return loginAndRespond(djangoAuthOf(ctx.state), target(ctx), user);
}

/** Django's logout() for this request: the session deleted, and its cookie. Needs DATABASE_WRITE_URL. */
export function logout(ctx: Context): Promise<SessionHeaders> {
  return logoutAndRespond(djangoAuthOf(ctx.state), target(ctx));
}

/** PasswordChangeForm + update_session_auth_hash() for the logged-in visitor; Django's form errors when refused. */
export function changePassword(ctx: Context, passwords: PasswordChange): Promise<PasswordChangeOutcome> {
  return changePasswordAndRespond(djangoAuthOf(ctx.state), target(ctx), passwords);
}
