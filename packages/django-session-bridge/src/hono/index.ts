// Hono: djangoSession(auth) sets c.get('user'), typed by DjangoSessionEnv; Django's decorators and CSRF as middleware.
export { djangoSession } from './session.ts';
export type { DjangoSessionEnv } from './session.ts';
export { loginRequired, permissionRequired, staffMemberRequired } from './guards.ts';
export type { HonoGuardOptions } from './guards.ts';
export { csrfProtection } from './csrf.ts';
export type { CsrfOptions } from '../web/csrf.ts';
export type { GuardOptions, PermissionGuardOptions } from '../web/guards.ts';
export type { DjangoRequestContext } from '../web/request-context.ts';
export { CsrfFailureError, NotAuthenticatedError, PermissionDeniedError } from '../web/errors.ts';
export { changePassword, login, logout } from './writes.ts';
