import Router from '@koa/router';
import type { DemoAccounts } from './demo-accounts.ts';
import { DEMO_PASSWORD } from './demo-users.ts';

export interface DemoRouteOptions {
  accounts: DemoAccounts;
  /** BASE_PATH, where the page lives ('' at the root). */
  basePath: string;
}

/**
 * `{BASE_PATH}/demo/`: the demo users, each with a one-click form that posts the demo password to the
 * service's real log-in page ({BASE_PATH}/accounts/login/), so the demo logs in exactly as a visitor would.
 * Mounted only by the demo (src/dev/main.ts), never when DATABASE_URL is set.
 */
export function demoRoutes({ accounts, basePath }: DemoRouteOptions): Router {
  const router = new Router();
  router.get(['/demo', '/demo/'], async (ctx) => {
    await ctx.render('layout.ejs', {
      view: 'demo',
      title: 'Demo log-in',
      accounts: await accounts.list(),
      loginAction: `${basePath}/accounts/login/`,
      password: DEMO_PASSWORD,
      next: typeof ctx.query.next === 'string' ? ctx.query.next : '',
    });
  });
  return router;
}
