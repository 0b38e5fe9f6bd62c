import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import pg from 'pg';
import { createDjangoAuth, type DjangoAuth } from '../../src/index.ts';
import { makePassword, passwordHashers, pbkdf2Hasher } from '../../src/django/index.ts';
import * as expressAdapter from '../../src/express/index.ts';
import * as fastifyAdapter from '../../src/fastify/index.ts';
import * as honoAdapter from '../../src/hono/index.ts';
import * as koaAdapter from '../../src/koa/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { insertUser } from '../../../../test/helpers/django.ts';
import type { RunningApp } from './contract.ts';
import { listening } from './listen.ts';

const SECRET = 'adapter-writes-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';
const FAST = [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 1000 })];

// Every app answers the same three routes: GET / (who), POST /login (alice with her password, or 401),
// POST /logout, POST /password (the new password twice); each write through the adapter's own helper.
type AppFactory = (auth: DjangoAuth) => Promise<RunningApp>;

const NEW_PASSWORDS = { oldPassword: 'alice-pw', newPassword1: 'alice-new-pw', newPassword2: 'alice-new-pw' };

const apps: Record<string, AppFactory> = {
  async koa(auth) {
    const app = new Koa();
    app.use(koaAdapter.djangoSession(auth));
    app.use(async (ctx) => {
      if (ctx.method === 'GET') ctx.body = ctx.state.user?.username ?? 'anonymous';
      else if (ctx.path === '/login') {
        const user = await auth.checkCredentials('alice', ctx.get('x-password'));
        if (user === null) ctx.status = 401;
        else ctx.body = (await koaAdapter.login(ctx, user)) && 'ok';
      } else if (ctx.path === '/logout') ctx.body = (await koaAdapter.logout(ctx)) && 'ok';
      else ctx.body = (await koaAdapter.changePassword(ctx, NEW_PASSWORDS)).ok ? 'ok' : 'refused';
    });
    return listening(createServer(app.callback()));
  },
  async express(auth) {
    const app = express();
    app.use(expressAdapter.djangoSession(auth));
    app.get('/', (req, res) => res.send(req.user?.username ?? 'anonymous'));
    app.post('/login', async (req, res) => {
      const user = await auth.checkCredentials('alice', req.get('x-password') ?? '');
      if (user === null) res.status(401).end();
      else res.send((await expressAdapter.login(req, res, user)) && 'ok');
    });
    app.post('/logout', async (req, res) => res.send((await expressAdapter.logout(req, res)) && 'ok'));
    app.post('/password', async (req, res) => res.send((await expressAdapter.changePassword(req, res, NEW_PASSWORDS)).ok ? 'ok' : 'refused'));
    return listening(createServer(app));
  },
  async fastify(auth) {
    const app = Fastify();
    await app.register(fastifyAdapter.djangoSession, { auth });
    app.get('/', async (request) => request.user?.username ?? 'anonymous');
    app.post('/login', async (request, reply) => {
      const user = await auth.checkCredentials('alice', String(request.headers['x-password'] ?? ''));
      if (user === null) return reply.code(401).send();
      return (await fastifyAdapter.login(request, reply, user)) && 'ok';
    });
    app.post('/logout', async (request, reply) => (await fastifyAdapter.logout(request, reply)) && 'ok');
    app.post('/password', async (request, reply) => ((await fastifyAdapter.changePassword(request, reply, NEW_PASSWORDS)).ok ? 'ok' : 'refused'));
    await app.ready();
    return listening(app.server);
  },
  async hono(auth) {
    const app = new Hono<honoAdapter.DjangoSessionEnv>();
    app.use(honoAdapter.djangoSession(auth));
    app.get('/', (c) => c.text(c.get('user')?.username ?? 'anonymous'));
    app.post('/login', async (c) => {
      const user = await auth.checkCredentials('alice', c.req.header('x-password') ?? '');
      if (user === null) return c.body(null, 401);
      return c.text((await honoAdapter.login(c, user)) && 'ok');
    });
    app.post('/logout', async (c) => c.text((await honoAdapter.logout(c)) && 'ok'));
    app.post('/password', async (c) => c.text((await honoAdapter.changePassword(c, NEW_PASSWORDS)).ok ? 'ok' : 'refused'));
    return listening(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
  },
};

/** The session cookie a response set (`name=value`), or undefined; a deletion sets it empty. */
function sessionCookie(response: Response): string | undefined {
  const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sessionid='));
  return line?.split(';', 1)[0];
}

describe('each adapter\'s login(), logout() and changePassword() put Django\'s cookies on its own response', () => {
  let database: TestDatabase;
  let admin: pg.Pool;

  before(async () => {
    database = await createTestDatabase();
    admin = new pg.Pool({ connectionString: database.url, max: 1 });
  });
  after(async () => {
    await admin.end();
    await database.drop();
  });

  for (const [framework, build] of Object.entries(apps)) {
    it(framework, async () => {
      await admin.query('DELETE FROM django_session');
      await admin.query('DELETE FROM auth_user');
      await insertUser(admin, { username: 'alice', password: await makePassword('alice-pw', passwordHashers({ djangoVersion: '5.2', hashers: FAST })) });
      const auth = createDjangoAuth({ databaseUrl: database.url, databaseWriteUrl: database.url, secretKey: SECRET, djangoVersion: '5.2', passwordHashers: FAST });
      const app = await build(auth);
      try {
        const post = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { method: 'POST', headers });
        const who = async (cookie?: string) => (await fetch(`${app.url}/`, { headers: cookie ? { cookie } : {} })).text();

        assert.equal((await post('/login', { 'x-password': 'wrong' })).status, 401);
        const loggedIn = await post('/login', { 'x-password': 'alice-pw' });
        assert.equal(loggedIn.status, 200);
        assert.match(loggedIn.headers.get('vary') ?? '', /Cookie/);
        const cookie = sessionCookie(loggedIn);
        assert.ok(cookie && cookie !== 'sessionid=""', `a session cookie: ${loggedIn.headers.getSetCookie().join(' | ')}`);
        assert.ok(loggedIn.headers.getSetCookie().some((line) => line.startsWith('csrftoken=')), 'the CSRF token rotates');
        assert.equal(await who(cookie), 'alice');

        const changed = await post('/password', { cookie });
        assert.equal(await changed.text(), 'ok');
        const next = sessionCookie(changed);
        assert.ok(next && next !== cookie, 'the session moves to a new key with the new hash');
        assert.equal(await who(next), 'alice');
        assert.equal(await who(cookie), 'anonymous', 'the old key is gone');

        const out = await post('/logout', { cookie: next });
        assert.equal(sessionCookie(out), 'sessionid=""', 'the cookie is deleted as SessionMiddleware deletes it');
        assert.equal(await who(next), 'anonymous');
        const { rows } = await admin.query('SELECT count(*)::int AS n FROM django_session');
        assert.equal(rows[0].n, 0, 'the row is gone');
      } finally {
        await app.close();
        await auth.close();
      }
    });
  }
});
