import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { csrfProtection, djangoSession, loginRequired, permissionRequired, staffMemberRequired, type DjangoSessionEnv } from '../../src/hono/index.ts';
import { adapterContract } from './contract.ts';
import { listening } from './listen.ts';
import { hasPermBody, isApi, meBody, PERMISSION, tokensBody } from './routes.ts';

adapterContract('Hono', async (auth, csrf) => {
  const app = new Hono<DjangoSessionEnv>();
  app.use(djangoSession(auth));
  app.get('/me', (c) => c.json(meBody(c.get('user'))));
  app.get('/has-perm', async (c) => c.json(await hasPermBody(c.get('user'), c.req.query('perms'))));
  app.get('/login-required', loginRequired(), (c) => c.text('view'));
  app.get('/staff', staffMemberRequired(), (c) => c.text('view'));
  app.get('/perm', permissionRequired(PERMISSION), (c) => c.text('view'));
  app.get('/perm-raise', permissionRequired(PERMISSION, { raiseException: true }), (c) => c.text('view'));
  app.get('/api/staff', staffMemberRequired({ isApi }), (c) => c.text('view'));
  app.all('/csrf', csrfProtection(csrf), (c) => c.text(c.req.method === 'GET' ? tokensBody(c.get('csrfToken'), c.req.query('calls')) : 'accepted'));
  return listening(createServer(getRequestListener(app.fetch)));
}, { refusesMalformedHost: true });
