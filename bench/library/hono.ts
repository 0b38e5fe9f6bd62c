// Hono on @hono/node-server + djangoSession: c.get('user').
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { djangoSession, type DjangoSessionEnv } from 'django-session-bridge/hono';
import { benchAuth, CONTENT_TYPE, onStop, page, port } from './page.ts';

const auth = benchAuth();
const app = new Hono<DjangoSessionEnv>();
app.use(djangoSession(auth));
app.get('*', (c) => c.body(page(c.get('user')), 200, { 'Content-Type': CONTENT_TYPE }));
const server = serve({ fetch: app.fetch, port: port(), hostname: '127.0.0.1' });
onStop(() => {
  server.close();
  return auth.close();
});
