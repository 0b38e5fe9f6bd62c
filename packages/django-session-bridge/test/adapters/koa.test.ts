import { createServer } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import type { BridgeUser } from '../../src/auth/user.ts';
import { csrfProtection, djangoSession, loginRequired, permissionRequired, staffMemberRequired } from '../../src/koa/index.ts';
import { adapterContract } from './contract.ts';
import { listening } from './listen.ts';
import { hasPermBody, isApi, meBody, PERMISSION, tokensBody } from './routes.ts';

adapterContract('Koa', async (auth, csrf) => {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  const view: Koa.Middleware = (ctx) => {
    ctx.body = 'view';
  };
  router.get('/me', (ctx) => {
    ctx.body = meBody(ctx.state.user as BridgeUser | null);
  });
  router.get('/has-perm', async (ctx) => {
    ctx.body = await hasPermBody(ctx.state.user as BridgeUser | null, ctx.query.perms);
  });
  router.get('/login-required', loginRequired(), view);
  router.get('/staff', staffMemberRequired(), view);
  router.get('/perm', permissionRequired(PERMISSION), view);
  router.get('/perm-raise', permissionRequired(PERMISSION, { raiseException: true }), view);
  router.get('/api/staff', staffMemberRequired({ isApi }), view);
  router.all('/csrf', csrfProtection(csrf), (ctx) => {
    ctx.body = ctx.method === 'GET' ? tokensBody(ctx.state.getCsrfToken as () => string | null, ctx.query.calls) : 'accepted';
  });
  app.use(djangoSession(auth));
  app.use(router.routes());
  return listening(createServer(app.callback()));
});
