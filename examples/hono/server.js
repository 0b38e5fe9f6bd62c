// Hono on Node: c.get('user') is Django's request.user (or null). Run with DATABASE_URL and DJANGO_SECRET_KEY set.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { djangoAuthFromEnv } from 'django-session-bridge';
import { djangoSession, loginRequired } from 'django-session-bridge/hono';

const auth = djangoAuthFromEnv();
const app = new Hono();
app.use(djangoSession(auth));

app.get('/', (c) => c.json({ loggedIn: c.get('user') !== null, username: c.get('user')?.username ?? null }));
app.get('/private', loginRequired(), (c) => c.text(`Hello, ${c.get('user').username}`));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => console.log(`listening on ${info.port}`));
