import type {} from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DjangoAuth, SessionHeaders } from 'django-session-bridge';
import { urlHasAllowedHostAndScheme, type RequestOrigin } from 'django-session-bridge/django';
import type { Config } from '../config.ts';
import { LoginThrottle, throttleKeys } from '../login-throttle.ts';
import { loginRequired } from 'django-session-bridge/koa';
import { publicUrl } from './pages.ts';

/** AuthenticationForm's and the form fields' error messages, word for word. */
export const FORM_ERRORS = {
  required: 'This field is required.',
  invalidLogin: 'Please enter a correct username and password. Note that both fields may be case-sensitive.',
  inactive: 'This account is inactive.',
} as const;

/** UsernameField's max_length for AbstractUser.username. */
const USERNAME_MAX_LENGTH = 150;

export interface LoginRouteOptions {
  auth: DjangoAuth;
  config: Config;
  isApi: (path: string) => boolean;
}

type Form = Record<string, string>;
type FieldErrors = Record<string, string[]>;

function formOf(ctx: Context): Form {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function sendSessionHeaders(ctx: Context, headers: SessionHeaders): void {
  for (const cookie of headers.setCookie) ctx.append('Set-Cookie', cookie);
  ctx.vary(headers.vary);
}

/** The `next` a view may redirect to: POST's, else GET's, when url_has_allowed_host_and_scheme allows it. */
function safeNext(ctx: Context): string | null {
  const posted = formOf(ctx).next;
  const wanted = posted ?? (typeof ctx.query.next === 'string' ? ctx.query.next : undefined);
  const origin = ctx.state.requestOrigin as RequestOrigin | undefined;
  const host = origin?.host ?? null;
  return urlHasAllowedHostAndScheme(wanted, host === null ? null : new Set([host]), origin?.secure ?? false) ? wanted! : null;
}

function requestedNext(ctx: Context): string | undefined {
  const posted = formOf(ctx).next;
  return posted ?? (typeof ctx.query.next === 'string' ? ctx.query.next : undefined);
}

/**
 * Django's LoginView, LogoutView and PasswordChangeView at {BASE_PATH}/accounts/…, writing the session as
 * Django would (the library's login/logout/changePassword). CSRF is checked in front of every POST.
 */
export function loginRoutes({ auth, config, isApi }: LoginRouteOptions): Router {
  const router = new Router();
  const throttle = new LoginThrottle(config.loginThrottle);
  const base = config.basePath;
  const loginPath = `${base}/accounts/login/`;
  const guard = loginRequired({ loginUrl: loginPath, isApi, fullPath: publicUrl });

  const renderLogin = async (ctx: Context, form: Form, errors: string[], fieldErrors: FieldErrors): Promise<void> => {
    await ctx.render('layout.ejs', {
      view: 'login', title: 'Log in', action: loginPath, username: form.username ?? '', next: requestedNext(ctx) ?? '', errors, fieldErrors,
    });
  };

  router.get('/accounts/login/', (ctx) => renderLogin(ctx, {}, [], {}));

  router.post('/accounts/login/', async (ctx) => {
    const form = formOf(ctx);
    // UsernameField: stripped, NFKC-normalised; the password is taken as typed (strip=False).
    const username = (form.username ?? '').trim().normalize('NFKC');
    const password = form.password ?? '';
    const fieldErrors: FieldErrors = {};
    if (username === '') fieldErrors.username = [FORM_ERRORS.required];
    else if (username.length > USERNAME_MAX_LENGTH) fieldErrors.username = [`Ensure this value has at most ${USERNAME_MAX_LENGTH} characters (it has ${username.length}).`];
    if (password === '') fieldErrors.password = [FORM_ERRORS.required];
    if (Object.keys(fieldErrors).length > 0) return renderLogin(ctx, form, [], fieldErrors);

    const keys = throttleKeys(username, ctx.ip);
    const wait = throttle.retryAfter(keys);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      ctx.throw(429, 'Too many failed log-in attempts. Try again later.');
    }
    const user = await auth.checkCredentials(username, password);
    if (user === null) {
      throttle.fail(keys);
      return renderLogin(ctx, form, [FORM_ERRORS.invalidLogin], {});
    }
    // confirm_login_allowed: only reached with AllowAllUsersModelBackend, which returns inactive users.
    if (!user.isActive) return renderLogin(ctx, form, [FORM_ERRORS.inactive], {});
    sendSessionHeaders(ctx, await auth.login(ctx.req, user));
    ctx.redirect(safeNext(ctx) ?? config.loginRedirectUrl);
  });

  router.post('/accounts/logout/', async (ctx) => {
    sendSessionHeaders(ctx, await auth.logout(ctx.req));
    // LogoutView: next when safe (else this page's own path), else LOGOUT_REDIRECT_URL, else the logged-out page.
    if (requestedNext(ctx) !== undefined) return ctx.redirect(safeNext(ctx) ?? ctx.path);
    if (config.logoutRedirectUrl !== null) return ctx.redirect(config.logoutRedirectUrl);
    ctx.state.user = null;
    await ctx.render('layout.ejs', { view: 'logged-out', title: 'Logged out', loginPath });
  });

  const renderChange = async (ctx: Context, errors: FieldErrors): Promise<void> => {
    await ctx.render('layout.ejs', { view: 'password-change', title: 'Password change', action: `${base}/accounts/password_change/`, fieldErrors: errors });
  };

  router.get('/accounts/password_change/', guard, (ctx) => renderChange(ctx, {}));

  router.post('/accounts/password_change/', guard, async (ctx) => {
    const form = formOf(ctx);
    const fields = ['old_password', 'new_password1', 'new_password2'] as const;
    const errors: FieldErrors = {};
    for (const field of fields) if (!form[field]) errors[field] = [FORM_ERRORS.required];
    if (Object.keys(errors).length > 0) return renderChange(ctx, errors);
    const outcome = await auth.changePassword(ctx.req, { oldPassword: form.old_password!, newPassword1: form.new_password1!, newPassword2: form.new_password2! });
    if (!outcome.ok) return renderChange(ctx, { [outcome.error === 'password_incorrect' ? 'old_password' : 'new_password2']: [outcome.message] });
    sendSessionHeaders(ctx, outcome);
    ctx.redirect(`${base}/accounts/password_change/done/`);
  });

  router.get('/accounts/password_change/done/', guard, async (ctx) => {
    await ctx.render('layout.ejs', { view: 'password-change-done', title: 'Password change successful' });
  });

  return router;
}
