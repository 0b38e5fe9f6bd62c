// Django's login(), logout() and password change for a framework's request: the core call, then the headers
// SessionMiddleware and CsrfViewMiddleware would put on the response, through the framework's own response.
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import type { AuthInput } from '../auth/request-cookie.ts';
import type { CredentialedUser, LoginOutcome, PasswordChange, PasswordChangeOutcome, SessionHeaders } from '../writes/index.ts';

/** A request as authenticate() reads it, and how to add a header to its response. */
export interface WriteTarget {
  input: AuthInput;
  /** Adds one value of a response header: each Set-Cookie is its own, Vary is merged. */
  appendHeader(name: 'Set-Cookie' | 'Vary', value: string): void;
}

function respond(target: WriteTarget, headers: SessionHeaders): void {
  for (const cookie of headers.setCookie) target.appendHeader('Set-Cookie', cookie);
  target.appendHeader('Vary', headers.vary);
}

/** auth.login() for a request, its cookies put on the response. */
export async function loginAndRespond(auth: DjangoAuth, target: WriteTarget, user: CredentialedUser): Promise<LoginOutcome> {
  const outcome = await auth.login(target.input, user);
  respond(target, outcome);
  return outcome;
}

/** auth.logout() for a request, the cookie deleted on the response. */
export async function logoutAndRespond(auth: DjangoAuth, target: WriteTarget): Promise<SessionHeaders> {
  const headers = await auth.logout(target.input);
  respond(target, headers);
  return headers;
}

/** auth.changePassword() for a request; when the change is made, the new session's cookie goes on the response. */
export async function changePasswordAndRespond(auth: DjangoAuth, target: WriteTarget, passwords: PasswordChange): Promise<PasswordChangeOutcome> {
  const outcome = await auth.changePassword(target.input, passwords);
  if (outcome.ok) respond(target, outcome);
  return outcome;
}
