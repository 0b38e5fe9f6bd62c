import type { Context, MiddlewareHandler } from 'hono';
import { requestOrigin } from '../django/request-origin.ts';
import { decideGuard, hasPermissions, isActiveStaff, isAuthenticated, type GuardOptions, type PermissionGuardOptions, type UserTest } from '../web/guards.ts';
import { requireContext } from '../web/request-context.ts';
import { asHttpException } from './errors.ts';
import type { DjangoSessionEnv } from './session.ts';

/** The Hono guards' options. */
export interface HonoGuardOptions extends GuardOptions {
  /** request.get_full_path() for `next` (default the URL's path and query), e.g. with a prefix a proxy strips. */
  fullPath?: (c: Context<DjangoSessionEnv>) => string;
}

function passesTest(test: UserTest, options: HonoGuardOptions, loginSetting: 'loginUrl' | 'adminLoginUrl'): MiddlewareHandler<DjangoSessionEnv> {
  return async function djangoGuard(c, next) {
    const { auth, verdict } = requireContext(c.get('django'));
    const url = new URL(c.req.url);
    const origin = requestOrigin(Object.fromEntries(c.req.raw.headers), url.protocol === 'https:', auth.config.proxy);
    const outcome = await decideGuard(test, {
      path: url.pathname,
      fullPath: options.fullPath?.(c) ?? url.pathname + url.search,
      secure: origin.secure,
      host: origin.host,
      user: verdict.user,
    }, options, auth.config[loginSetting]);
    if (outcome.pass) return next();
    if ('error' in outcome) throw asHttpException(outcome.error);
    return c.redirect(outcome.redirect);
  };
}

/**
 * @login_required as Hono middleware: an anonymous visitor is redirected to `loginUrl?next=<path>` as
 * Django's redirect_to_login builds it (LOGIN_URL by default, Django's `/accounts/login/`).
 *
 * @example app.get('/account/', loginRequired(), (c) => c.text(c.get('user')!.username));
 */
export function loginRequired(options: HonoGuardOptions = {}): MiddlewareHandler<DjangoSessionEnv> {
  return passesTest(isAuthenticated, options, 'loginUrl');
}

/**
 * @permission_required(perms) as Hono middleware: a user without every one of `perms` goes to the log-in
 * page, or with `raiseException` gets an HTTPException 403 (its cause a PermissionDeniedError).
 *
 * @example app.post('/polls/', permissionRequired('polls.add_choice', { raiseException: true }), create);
 */
export function permissionRequired(perms: string | readonly string[], options: PermissionGuardOptions & HonoGuardOptions = {}): MiddlewareHandler<DjangoSessionEnv> {
  return passesTest(hasPermissions(perms, options.raiseException), options, 'loginUrl');
}

/**
 * @staff_member_required (django.contrib.admin) as Hono middleware: active staff only, everyone else to the
 * admin's log-in page (the DjangoAuth's `adminLoginUrl`, Django's `/admin/login/`).
 *
 * @example app.get('/staff/', staffMemberRequired(), staffPage);
 */
export function staffMemberRequired(options: HonoGuardOptions = {}): MiddlewareHandler<DjangoSessionEnv> {
  return passesTest(isActiveStaff, options, 'adminLoginUrl');
}
