import Router from '@koa/router';
import type { BridgeUser as RequestUser } from 'django-session-bridge';

/** GET /api/me: the verdict as JSON, for client-side code, with the user's permissions and groups. */
export function apiRoutes(): Router {
  const router = new Router();
  router.get('/api/me', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const user = ctx.state.user as RequestUser | null;
    ctx.body = {
      loggedIn: ctx.state.loggedIn,
      user: user && {
        id: user.id,
        username: user.username,
        isStaff: user.isStaff,
        isSuperuser: user.isSuperuser,
        // One query for both: the second call reuses the first's rows.
        permissions: await user.getAllPermissions(),
        groups: await user.groups(),
      },
    };
  });
  return router;
}
