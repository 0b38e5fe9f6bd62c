import type { Context, Middleware } from 'koa';
import { publicUrl } from '../routes/pages.ts';
import type { BridgeUser as RequestUser } from 'django-session-bridge';

export interface GuardOptions {
  loginUrl: string;
  /** Paths answered with 401/403 (JSON, from errorPages) rather than a redirect to the log-in page. */
  isApi: (path: string) => boolean;
}

// Python's quote_plus(safe='/'): what QueryDict.urlencode(safe='/') writes for redirect_to_login's next.
function quotePlus(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+');
}

/** django.contrib.auth.views.redirect_to_login: LOGIN_URL?next=<the page's full path>. */
export function loginRedirectUrl(loginUrl: string, next: string): string {
  const [base, query = ''] = loginUrl.split('?', 2) as [string, string?];
  const kept = query.split('&').filter((pair) => pair !== '' && !pair.startsWith('next='));
  return `${base}?${[...kept, `next=${quotePlus(next)}`].join('&')}`;
}

/** user_passes_test: a visitor failing the test goes to the log-in page with next=, or gets JSON under /api/. */
function passesTest(test: (ctx: Context) => Promise<boolean> | boolean, { loginUrl, isApi }: GuardOptions): Middleware {
  return async (ctx, next) => {
    if (await test(ctx)) return next();
    if (isApi(ctx.path)) ctx.throw(ctx.state.user ? 403 : 401);
    ctx.redirect(loginRedirectUrl(loginUrl, publicUrl(ctx)));
  };
}

/** @login_required. */
export function loginRequired(options: GuardOptions): Middleware {
  return passesTest((ctx) => ctx.state.user != null, options);
}

/** @staff_member_required (django.contrib.admin): active staff, else admin's log-in page. */
export function staffMemberRequired(options: GuardOptions): Middleware {
  return passesTest((ctx) => {
    const user = ctx.state.user as RequestUser | null;
    return user != null && user.isActive && user.isStaff;
  }, options);
}

/** @permission_required(perms, raise_exception=...): a 403 page (or JSON) with raiseException, else the log-in redirect. */
export function permissionRequired(perms: string | readonly string[], options: GuardOptions & { raiseException?: boolean }): Middleware {
  const wanted = typeof perms === 'string' ? [perms] : perms;
  return passesTest(async (ctx) => {
    const user = ctx.state.user as RequestUser | null;
    if (user != null && (await user.hasPerms(wanted))) return true;
    if (options.raiseException) ctx.throw(403);
    return false;
  }, options);
}
