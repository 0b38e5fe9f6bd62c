// Express: djangoSession(auth) sets req.user, res.locals.loggedIn and res.locals.user; Django's decorators and CSRF as middleware.
export { djangoSession } from './session.ts';
export { loginRequired, permissionRequired, staffMemberRequired } from './guards.ts';
export type { ExpressGuardOptions } from './guards.ts';
export { csrfProtection } from './csrf.ts';
export type { CsrfOptions } from '../web/csrf.ts';
export type { GuardOptions, PermissionGuardOptions } from '../web/guards.ts';
export type { DjangoRequestContext } from '../web/request-context.ts';
export { CsrfFailureError, NotAuthenticatedError, PermissionDeniedError } from '../web/errors.ts';
export { changePassword, login, logout } from './writes.ts';
