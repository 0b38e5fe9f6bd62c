import Router from '@koa/router';
import type {} from '@koa/bodyparser';
import { loginRequired, staffMemberRequired } from 'django-session-bridge/koa';
import type { BridgeUser as RequestUser } from 'django-session-bridge';
import { publicUrl } from './pages.ts';

export interface AccountOptions {
  /** Paths answered 401/403 (JSON, from errorPages) rather than with a redirect to the log-in page. */
  isApi: (path: string) => boolean;
  basePath: string;
}

const GREETING_COOKIE = 'elixir_greeting';
const GREETINGS = new Set(['Hello', 'Welcome back', 'Good to see you']);

/**
 * The pattern for a view moved from Django: guards like its decorators, CSRF checked before routing, and
 * redirect-after-POST that keeps its result in this service's own cookie, never in Django's database.
 */
export function accountRoutes({ isApi, basePath }: AccountOptions): Router {
  const router = new Router();
  // LOGIN_URL and the admin's log-in page come from the DjangoAuth's settings (DJANGO_LOGIN_URL, DJANGO_ADMIN_LOGIN_URL).
  const login = loginRequired({ isApi, fullPath: publicUrl });
  router.get('/account/', login, async (ctx) => {
    const user = ctx.state.user as RequestUser;
    const [groups, permissions] = await Promise.all([user.groups(), user.getAllPermissions()]);
    const chosen = ctx.cookies.get(GREETING_COOKIE);
    await ctx.render('layout.ejs', {
      view: 'account', title: 'Your account', groups, permissions,
      greeting: chosen && GREETINGS.has(chosen) ? chosen : 'Hello', greetings: [...GREETINGS],
    });
  });
  router.post('/account/greeting', login, (ctx) => {
    const wanted = (ctx.request.body as Record<string, unknown> | undefined)?.greeting;
    if (typeof wanted !== 'string' || !GREETINGS.has(wanted)) return ctx.throw(400, 'Pick one of the greetings offered.');
    ctx.cookies.set(GREETING_COOKIE, wanted, { httpOnly: true, sameSite: 'lax', path: `${basePath}/`, overwrite: true });
    // 303: the browser GETs the page again, so a reload never re-posts the form.
    ctx.status = 303;
    ctx.redirect(`${basePath}/account/`);
  });
  router.get('/staff/', staffMemberRequired({ isApi, fullPath: publicUrl }), async (ctx) => {
    await ctx.render('layout.ejs', { view: 'staff', title: 'Staff only' });
  });
  return router;
}
