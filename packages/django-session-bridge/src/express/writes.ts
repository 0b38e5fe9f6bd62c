import type { Request, Response } from 'express';
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import type { CredentialedUser, LoginOutcome, PasswordChange, PasswordChangeOutcome, SessionHeaders } from '../writes/index.ts';
import { changePasswordAndRespond, loginAndRespond, logoutAndRespond, type WriteTarget } from '../web/session-writes.ts';

function authOf(req: Request): DjangoAuth {
  if (req.django === undefined) throw new Error('app.use(djangoSession(auth)) must come before login(), logout() and changePassword()');
  return req.django.auth;
}

function target(req: Request, res: Response): WriteTarget {
  return { input: req, appendHeader: (name, value) => (name === 'Vary' ? res.vary(value) : res.append(name, value)) };
}

/**
 * Django's login() for this request (after djangoSession): the session saved, its cookie and the rotated CSRF
 * cookie set on res. `user` comes from auth.checkCredentials(). Needs DATABASE_WRITE_URL.
 *
 * @example const user = await auth.checkCredentials(req.body.username, req.body.password); if (user) await login(req, res, user);
 */
export function login(req: Request, res: Response, user: CredentialedUser): Promise<LoginOutcome> {
  return loginAndRespond(authOf(req), target(req, res), user);
}

/** Django's logout() for this request: the session deleted, and its cookie. Needs DATABASE_WRITE_URL. */
export function logout(req: Request, res: Response): Promise<SessionHeaders> {
  return logoutAndRespond(authOf(req), target(req, res));
}

/** PasswordChangeForm + update_session_auth_hash() for the logged-in visitor; Django's form errors when refused. */
export function changePassword(req: Request, res: Response, passwords: PasswordChange): Promise<PasswordChangeOutcome> {
  return changePasswordAndRespond(authOf(req), target(req, res), passwords);
}
