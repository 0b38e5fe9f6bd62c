import type { TLSSocket } from 'node:tls';
import type { Request, RequestHandler } from 'express';
import { requestOrigin } from '../django/request-origin.ts';
import { decideGuard, hasPermissions, isActiveStaff, isAuthenticated, type GuardOptions, type PermissionGuardOptions, type UserTest } from '../web/guards.ts';
import { requireContext } from '../web/request-context.ts';

/** The Express guards' options. */
export interface ExpressGuardOptions extends GuardOptions {
  /** request.get_full_path() for `next` (default req.originalUrl), e.g. with a prefix a proxy strips. */
  fullPath?: (req: Request) => string;
}

function passesTest(test: UserTest, options: ExpressGuardOptions, loginSetting: 'loginUrl' | 'adminLoginUrl'): RequestHandler {
  return async function djangoGuard(req, res, next) {
    let outcome;
    try {
      const { auth, verdict } = requireContext(req.django);
      const origin = requestOrigin(req.headers, (req.socket as TLSSocket).encrypted === true, auth.config.proxy);
      outcome = await decideGuard(test, {
        path: req.path,
        fullPath: options.fullPath?.(req) ?? req.originalUrl,
        secure: origin.secure,
        host: origin.host,
        user: verdict.user,
      }, options, auth.config[loginSetting]);
    } catch (error) {
      next(error);
      return;
    }
    if (outcome.pass) next();
    else if ('error' in outcome) next(outcome.error);
    else res.redirect(outcome.redirect);
  };
}

/**
 * @login_required as Express middleware: an anonymous visitor is redirected to `loginUrl?next=<path>` as
 * Django's redirect_to_login builds it (LOGIN_URL by default, Django's `/accounts/login/`).
 *
 * @example app.get('/account/', loginRequired(), (req, res) => res.send(req.user!.username));
 */
export function loginRequired(options: ExpressGuardOptions = {}): RequestHandler {
  return passesTest(isAuthenticated, options, 'loginUrl');
}

/**
 * @permission_required(perms) as Express middleware: a user without every one of `perms` goes to the log-in
 * page, or with `raiseException` to `next(PermissionDeniedError)` (status 403).
 *
 * @example app.post('/polls/', permissionRequired('polls.add_choice', { raiseException: true }), create);
 */
export function permissionRequired(perms: string | readonly string[], options: PermissionGuardOptions & ExpressGuardOptions = {}): RequestHandler {
  return passesTest(hasPermissions(perms, options.raiseException), options, 'loginUrl');
}

/**
 * @staff_member_required (django.contrib.admin) as Express middleware: active staff only, everyone else to
 * the admin's log-in page (the DjangoAuth's `adminLoginUrl`, Django's `/admin/login/`).
 *
 * @example app.get('/staff/', staffMemberRequired(), staffPage);
 */
export function staffMemberRequired(options: ExpressGuardOptions = {}): RequestHandler {
  return passesTest(isActiveStaff, options, 'adminLoginUrl');
}
