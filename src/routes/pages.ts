import Router from '@koa/router';
import type { Context } from 'koa';
import { withoutTrailingSlashes } from '../trailing-slashes.ts';

export interface PageOptions {
  loginUrl: string;
  logoutUrl: string;
}

const PREFIX = /^(\/[A-Za-z0-9._~\-/]*)?$/;

/** The page's own public URL: behind an nginx that strips the prefix, X-Forwarded-Prefix puts it back. */
export function publicUrl(ctx: Context): string {
  const prefix = withoutTrailingSlashes(ctx.get('X-Forwarded-Prefix'));
  return (PREFIX.test(prefix) ? prefix : '') + ctx.originalUrl;
}

function withNext(url: string, next: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`;
}

export function pageRoutes({ loginUrl, logoutUrl }: PageOptions): Router {
  const router = new Router();
  router.get('/', async (ctx) => {
    const here = publicUrl(ctx);
    await ctx.render('layout.ejs', {
      view: 'index',
      title: ctx.state.loggedIn ? 'Logged In!' : 'Not Logged In',
      loginHref: withNext(loginUrl, here),
      // Django 5 logs out on POST only (LogoutView, with CSRF): the page posts a form with our token and next.
      logoutAction: logoutUrl,
      here,
    });
  });
  return router;
}
