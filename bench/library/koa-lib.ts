// Bare Koa + djangoSession, no router or views: the library's Koa adapter without the service around it.
import Koa from 'koa';
import { djangoSession } from 'django-session-bridge/koa';
import { benchAuth, CONTENT_TYPE, onStop, page, port } from './page.ts';

const auth = benchAuth();
const app = new Koa();
app.use(djangoSession(auth));
app.use((ctx) => {
  ctx.type = CONTENT_TYPE;
  ctx.body = page(ctx.state.user as { username: string } | null);
});
const server = app.listen(port(), '127.0.0.1');
onStop(() => {
  server.close();
  return auth.close();
});
