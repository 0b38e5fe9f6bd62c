import type { TLSSocket } from 'node:tls';
import type { Context, Middleware } from 'koa';
import type { BridgeUser } from '../auth/user.ts';
import { requestOrigin } from '../django/request-origin.ts';
import { decideGuard, hasPermissions, isActiveStaff, isAuthenticated, type GuardOptions, type PermissionGuardOptions, type UserTest } from '../web/guards.ts';
import { djangoAuthOf } from './session.ts';

/** The Koa guards' options. */
export interface KoaGuardOptions extends GuardOptions {
  /**
   * request.get_full_path() for `next` (default ctx.originalUrl): an app served under a prefix that its
   * proxy strips puts the prefix back here.
   */
  fullPath?: (ctx: Context) => string;
}

function passesTest(test: UserTest, options: KoaGuardOptions, loginSetting: 'loginUrl' | 'adminLoginUrl'): Middleware {
  return async function djangoGuard(ctx, next) {
    const { config } = djangoAuthOf(ctx.state);
    const origin = requestOrigin(ctx.headers, (ctx.req.socket as TLSSocket).encrypted === true, config.proxy);
    const outcome = await decideGuard(test, {
      path: ctx.path,
      fullPath: options.fullPath?.(ctx) ?? ctx.originalUrl,
      secure: origin.secure,
      host: origin.host,
      user: (ctx.state.user as BridgeUser | null | undefined) ?? null,
    }, options, config[loginSetting]);
    if (outcome.pass) return next();
    if ('error' in outcome) throw outcome.error;
    ctx.redirect(outcome.redirect);
  };
}

/**
 * @login_required as Koa middleware: an anonymous visitor is redirected to `loginUrl?next=<path>` as
 * Django's redirect_to_login builds it (LOGIN_URL by default, Django's `/accounts/login/`).
 *
 * @example router.get('/account/', loginRequired(), (ctx) => { ctx.body = ctx.state.user.username; });
 */
export function loginRequired(options: KoaGuardOptions = {}): Middleware {
  return passesTest(isAuthenticated, options, 'loginUrl');
}

/**
 * @permission_required(perms) as Koa middleware: a user without every one of `perms` goes to the log-in
 * page, or with `raiseException` gets a 403 (PermissionDeniedError, thrown for the app's error handling).
 *
 * @example router.post('/polls/', permissionRequired('polls.add_choice', { raiseException: true }), create);
 */
export function permissionRequired(perms: string | readonly string[], options: PermissionGuardOptions & KoaGuardOptions = {}): Middleware {
  return passesTest(hasPermissions(perms, options.raiseException), options, 'loginUrl');
}

/**
 * @staff_member_required (django.contrib.admin) as Koa middleware: active staff only, everyone else to the
 * admin's log-in page (the DjangoAuth's `adminLoginUrl`, Django's `/admin/login/`).
 *
 * @example router.get('/staff/', staffMemberRequired(), staffPage);
 */
export function staffMemberRequired(options: KoaGuardOptions = {}): Middleware {
  return passesTest(isActiveStaff, options, 'adminLoginUrl');
}
