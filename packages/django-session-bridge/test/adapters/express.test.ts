import { createServer } from 'node:http';
import express, { type RequestHandler } from 'express';
import { csrfProtection, djangoSession, loginRequired, permissionRequired, staffMemberRequired } from '../../src/express/index.ts';
import { adapterContract } from './contract.ts';
import { listening } from './listen.ts';
import { hasPermBody, isApi, meBody, PERMISSION, tokensBody } from './routes.ts';

adapterContract('Express', async (auth, csrf) => {
  const app = express();
  // Express's default error handler then answers with the error's stack (its message first) and logs nothing;
  // in production it answers with the status's name alone.
  app.set('env', 'test');
  const view: RequestHandler = (_req, res) => {
    res.send('view');
  };
  app.use(djangoSession(auth));
  app.get('/me', (req, res) => {
    res.json(meBody(req.user ?? null));
  });
  app.get('/has-perm', async (req, res) => {
    res.json(await hasPermBody(req.user ?? null, req.query.perms));
  });
  app.get('/login-required', loginRequired(), view);
  app.get('/staff', staffMemberRequired(), view);
  app.get('/perm', permissionRequired(PERMISSION), view);
  app.get('/perm-raise', permissionRequired(PERMISSION, { raiseException: true }), view);
  app.get('/api/staff', staffMemberRequired({ isApi }), view);
  app.all('/csrf', csrfProtection(csrf), (req, res) => {
    res.send(req.method === 'GET' ? tokensBody(req.csrfToken!, req.query.calls) : 'accepted');
  });
  return listening(createServer(app));
});
