// Koa: djangoSession(auth) sets ctx.state.loggedIn and ctx.state.user; Django's decorators and CSRF as middleware.
export { djangoSession, djangoAuthOf, setVerdictState } from './session.ts';
export type { DjangoSessionState } from './session.ts';
export { loginRequired, permissionRequired, staffMemberRequired } from './guards.ts';
export type { KoaGuardOptions } from './guards.ts';
export { csrfProtection } from './csrf.ts';
export type { CsrfState } from './csrf.ts';
export type { CsrfOptions } from '../web/csrf.ts';
export type { GuardOptions, PermissionGuardOptions } from '../web/guards.ts';
export { CsrfFailureError, NotAuthenticatedError, PermissionDeniedError } from '../web/errors.ts';
export { changePassword, login, logout } from './writes.ts';
