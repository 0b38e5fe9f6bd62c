import type { Context } from 'hono';
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import type { CredentialedUser, LoginOutcome, PasswordChange, PasswordChangeOutcome, SessionHeaders } from '../writes/index.ts';
import { changePasswordAndRespond, loginAndRespond, logoutAndRespond, type WriteTarget } from '../web/session-writes.ts';
import type { DjangoSessionEnv } from './session.ts';

function authOf(c: Context<DjangoSessionEnv>): DjangoAuth {
  const django = c.get('django') as DjangoSessionEnv['Variables']['django'] | undefined;
  if (django === undefined) throw new Error('app.use(djangoSession(auth)) must come before login(), logout() and changePassword()');
  return django.auth;
}

function target(c: Context<DjangoSessionEnv>): WriteTarget {
  // djangoSession adds Vary: Cookie to every response already.
  return { input: c.req.raw, appendHeader: (name, value) => (name === 'Vary' ? undefined : c.header(name, value, { append: true })) };
}

/**
 * Django's login() for this request (after djangoSession): the session saved, its cookie and the rotated CSRF
 * cookie set on the response. `user` comes from auth.checkCredentials(). Needs DATABASE_WRITE_URL.
 *
 * @example const user = await auth.checkCredentials(username, password); if (user) await login(c, user);
 */
export function login(c: Context<DjangoSessionEnv>, user: CredentialedUser): Promise<LoginOutcome> {
  return loginAndRespond(authOf(c), target(c), user);
}

/** Django's logout() for this request: the session deleted, and its cookie. Needs DATABASE_WRITE_URL. */
export function logout(c: Context<DjangoSessionEnv>): Promise<SessionHeaders> {
  return logoutAndRespond(authOf(c), target(c));
}

/** PasswordChangeForm + update_session_auth_hash() for the logged-in visitor; Django's form errors when refused. */
export function changePassword(c: Context<DjangoSessionEnv>, passwords: PasswordChange): Promise<PasswordChangeOutcome> {
  return changePasswordAndRespond(authOf(c), target(c), passwords);
}
