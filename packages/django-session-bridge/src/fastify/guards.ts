import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { requestOrigin } from '../django/request-origin.ts';
import { decideGuard, hasPermissions, isActiveStaff, isAuthenticated, type GuardOptions, type PermissionGuardOptions, type UserTest } from '../web/guards.ts';
import { requireContext } from '../web/request-context.ts';

/** The Fastify guards' options. */
export interface FastifyGuardOptions extends GuardOptions {
  /** request.get_full_path() for `next` (default request.url), e.g. with a prefix a proxy strips. */
  fullPath?: (request: FastifyRequest) => string;
}

function passesTest(test: UserTest, options: FastifyGuardOptions, loginSetting: 'loginUrl' | 'adminLoginUrl'): preHandlerAsyncHookHandler {
  return async function djangoGuard(request: FastifyRequest, reply: FastifyReply) {
    const { auth, verdict } = requireContext(request.django);
    const origin = requestOrigin(request.headers, (request.raw.socket as TLSSocket).encrypted === true, auth.config.proxy);
    const fullPath = options.fullPath?.(request) ?? request.url;
    const outcome = await decideGuard(test, {
      path: fullPath.split('?', 1)[0]!,
      fullPath,
      secure: origin.secure,
      host: origin.host,
      user: verdict.user,
    }, options, auth.config[loginSetting]);
    if (outcome.pass) return;
    if ('error' in outcome) throw outcome.error;
    return reply.redirect(outcome.redirect);
  };
}

/**
 * @login_required as a Fastify preHandler hook: an anonymous visitor is redirected to `loginUrl?next=<path>`
 * as Django's redirect_to_login builds it (LOGIN_URL by default, Django's `/accounts/login/`).
 *
 * @example app.get('/account/', { preHandler: loginRequired() }, async (request) => request.user!.username);
 */
export function loginRequired(options: FastifyGuardOptions = {}): preHandlerAsyncHookHandler {
  return passesTest(isAuthenticated, options, 'loginUrl');
}

/**
 * @permission_required(perms) as a Fastify preHandler hook: a user without every one of `perms` goes to the
 * log-in page, or with `raiseException` gets PermissionDeniedError (statusCode 403).
 *
 * @example app.post('/polls/', { preHandler: permissionRequired('polls.add_choice', { raiseException: true }) }, create);
 */
export function permissionRequired(perms: string | readonly string[], options: PermissionGuardOptions & FastifyGuardOptions = {}): preHandlerAsyncHookHandler {
  return passesTest(hasPermissions(perms, options.raiseException), options, 'loginUrl');
}

/**
 * @staff_member_required (django.contrib.admin) as a Fastify preHandler hook: active staff only, everyone else
 * to the admin's log-in page (the DjangoAuth's `adminLoginUrl`, Django's `/admin/login/`).
 *
 * @example app.get('/staff/', { preHandler: staffMemberRequired() }, staffPage);
 */
export function staffMemberRequired(options: FastifyGuardOptions = {}): preHandlerAsyncHookHandler {
  return passesTest(isActiveStaff, options, 'adminLoginUrl');
}
