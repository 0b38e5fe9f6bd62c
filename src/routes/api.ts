import Router from '@koa/router';

/** GET /api/me: the verdict as JSON, for client-side code. */
export function apiRoutes(): Router {
  const router = new Router();
  router.get('/api/me', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const user = ctx.state.user;
    ctx.body = {
      loggedIn: ctx.state.loggedIn,
      user: user && { id: user.id, username: user.username, isStaff: user.isStaff, isSuperuser: user.isSuperuser },
    };
  });
  return router;
}
