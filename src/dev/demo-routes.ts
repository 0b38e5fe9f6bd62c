import type {} from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DemoSessions } from './demo-sessions.ts';

export interface DemoRouteOptions {
  sessions: DemoSessions;
  /** BASE_PATH, where the page lives ('' at the root). */
  basePath: string;
  cookieName: string;
  /** SESSION_COOKIE_AGE in seconds. */
  cookieAge: number;
}

/** Only paths on this site: `//host` and `/\host` would leave it. */
const LOCAL_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

/**
 * `{BASE_PATH}/demo/…`: log in as a demo user and out again, the way Django's own views would leave the
 * session and the cookie. Mounted only by the demo (src/dev/main.ts), never when DATABASE_URL is set.
 */
export function demoRoutes({ sessions, basePath, cookieName, cookieAge }: DemoRouteOptions): Router {
  const home = `${basePath}/`;
  const next = (ctx: Context): string => {
    const wanted = ctx.method === 'POST' ? (ctx.request.body as Record<string, unknown> | undefined)?.next : ctx.query.next;
    return typeof wanted === 'string' && LOCAL_PATH.test(wanted) ? wanted : home;
  };
  const withNext = (path: string, ctx: Context): string => {
    const target = next(ctx);
    return target === home ? path : `${path}?next=${encodeURIComponent(target)}`;
  };

  const router = new Router();

  router.get(['/demo', '/demo/'], async (ctx) => {
    const accounts = await sessions.accounts();
    await ctx.render('layout.ejs', {
      view: 'demo',
      title: 'Demo log-in',
      accounts: accounts.map((account) => ({ ...account, href: withNext(`${basePath}/demo/login/${encodeURIComponent(account.username)}`, ctx) })),
    });
  });

  router.get('/demo/login/:username', async (ctx) => {
    const sessionKey = await sessions.logIn(ctx.params.username as string, ctx.state.sessionCookie as string | undefined);
    if (sessionKey === null) ctx.throw(404, `There is no demo user "${ctx.params.username}".`);
    ctx.cookies.set(cookieName, sessionKey, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: cookieAge * 1000, overwrite: true });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(next(ctx));
  });

  // POST only, with the CSRF check in front, as Django 5's LogoutView.
  router.post('/demo/logout', async (ctx) => {
    await sessions.logOut(ctx.state.sessionCookie as string | undefined);
    ctx.cookies.set(cookieName, null, { path: '/', sameSite: 'lax', overwrite: true });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(next(ctx));
  });

  return router;
}
