// Fastify + the djangoSession plugin: request.user.
import Fastify from 'fastify';
import { djangoSession } from 'django-session-bridge/fastify';
import { benchAuth, CONTENT_TYPE, onStop, page, port } from './page.ts';

const auth = benchAuth();
const app = Fastify();
await app.register(djangoSession, { auth });
app.get('/*', async (request, reply) => reply.type(CONTENT_TYPE).send(page(request.user)));
await app.listen({ port: port(), host: '127.0.0.1' });
onStop(async () => {
  await app.close();
  await auth.close();
});
