// Fastify: `await app.register(djangoSession, { auth })` sets request.user; Django's decorators and CSRF as preHandler hooks.
export { djangoSession } from './session.ts';
export type { DjangoSessionOptions } from './session.ts';
export { loginRequired, permissionRequired, staffMemberRequired } from './guards.ts';
export type { FastifyGuardOptions } from './guards.ts';
export { csrfProtection } from './csrf.ts';
export type { CsrfOptions } from '../web/csrf.ts';
export type { GuardOptions, PermissionGuardOptions } from '../web/guards.ts';
export type { DjangoRequestContext } from '../web/request-context.ts';
export { CsrfFailureError, NotAuthenticatedError, PermissionDeniedError } from '../web/errors.ts';
export { changePassword, login, logout } from './writes.ts';
