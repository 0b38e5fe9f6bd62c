import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import type { CredentialedUser, LoginOutcome, PasswordChange, PasswordChangeOutcome, SessionHeaders } from '../writes/index.ts';
import { changePasswordAndRespond, loginAndRespond, logoutAndRespond, type WriteTarget } from '../web/session-writes.ts';
import { varyCookie } from './vary.ts';

function authOf(request: FastifyRequest): DjangoAuth {
  if (request.django == null) throw new Error('app.register(djangoSession, { auth }) must come before login(), logout() and changePassword()');
  return request.django.auth;
}

function target(request: FastifyRequest, reply: FastifyReply): WriteTarget {
  return {
    input: request.raw,
    // Fastify appends a set-cookie header to those already set rather than replacing them.
    appendHeader: (name, value) => (name === 'Vary' ? reply.header('vary', varyCookie(reply.getHeader('vary'))) : reply.header('set-cookie', value)),
  };
}

/**
 * Django's login() for this request (after the djangoSession plugin): the session saved, its cookie and the
 * rotated CSRF cookie set on the reply. `user` comes from auth.checkCredentials(). Needs DATABASE_WRITE_URL.
 *
 * @example const user = await auth.checkCredentials(username, password); if (user) await login(request, reply, user);
 */
export function login(request: FastifyRequest, reply: FastifyReply, user: CredentialedUser): Promise<LoginOutcome> {
  return loginAndRespond(authOf(request), target(request, reply), user);
}

/** Django's logout() for this request: the session deleted, and its cookie. Needs DATABASE_WRITE_URL. */
export function logout(request: FastifyRequest, reply: FastifyReply): Promise<SessionHeaders> {
  return logoutAndRespond(authOf(request), target(request, reply));
}

/** PasswordChangeForm + update_session_auth_hash() for the logged-in visitor; Django's form errors when refused. */
export function changePassword(request: FastifyRequest, reply: FastifyReply, passwords: PasswordChange): Promise<PasswordChangeOutcome> {
  return changePasswordAndRespond(authOf(request), target(request, reply), passwords);
}
