// Fastify: request.user is Django's request.user (or null). Run with DATABASE_URL and DJANGO_SECRET_KEY set.
import Fastify from 'fastify';
import { djangoAuthFromEnv } from 'django-session-bridge';
import { djangoSession, loginRequired } from 'django-session-bridge/fastify';

const auth = djangoAuthFromEnv();
const app = Fastify();
await app.register(djangoSession, { auth });
app.addHook('onClose', () => auth.close());

app.get('/', async (request) => ({ loggedIn: request.user !== null, username: request.user?.username ?? null }));
app.get('/private', { preHandler: loginRequired() }, async (request) => `Hello, ${request.user.username}`);

await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${app.server.address().port}`);
