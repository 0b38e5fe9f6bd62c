import Fastify from 'fastify';
import { csrfProtection, djangoSession, loginRequired, permissionRequired, staffMemberRequired } from '../../src/fastify/index.ts';
import { adapterContract } from './contract.ts';
import { listening } from './listen.ts';
import { hasPermBody, isApi, meBody, PERMISSION, tokensBody } from './routes.ts';

type Query = { perms?: string; calls?: string };

adapterContract('Fastify', async (auth, csrf) => {
  const app = Fastify();
  // A URL-encoded form parser, as @fastify/formbody would add: the CSRF hook reads the form's token from request.body.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      const seen = fields[name];
      fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    done(null, fields);
  });
  await app.register(djangoSession, { auth });
  // Registered after the plugin, in a child context: the plugin's hook still covers it (skip-override).
  await app.register(async (routes) => {
    routes.get<{ Querystring: Query }>('/me', async (request) => meBody(request.user));
    routes.get<{ Querystring: Query }>('/has-perm', async (request) => hasPermBody(request.user, request.query.perms));
    routes.get('/login-required', { preHandler: loginRequired() }, async () => 'view');
    routes.get('/staff', { preHandler: staffMemberRequired() }, async () => 'view');
    routes.get('/perm', { preHandler: permissionRequired(PERMISSION) }, async () => 'view');
    routes.get('/perm-raise', { preHandler: permissionRequired(PERMISSION, { raiseException: true }) }, async () => 'view');
    routes.get('/api/staff', { preHandler: staffMemberRequired({ isApi }) }, async () => 'view');
    routes.route<{ Querystring: Query }>({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'],
      url: '/csrf',
      preHandler: csrfProtection(csrf),
      handler: async (request) => (request.method === 'GET' ? tokensBody(request.csrfToken!, request.query.calls) : 'accepted'),
    });
  });
  await app.ready();
  return listening(app.server);
}, { parsesBodyFirst: true });
