// Koa: ctx.state.user is Django's request.user (or null). Run with DATABASE_URL and DJANGO_SECRET_KEY set.
import Router from '@koa/router';
import Koa from 'koa';
import { djangoAuthFromEnv } from 'django-session-bridge';
import { djangoSession, loginRequired } from 'django-session-bridge/koa';

const auth = djangoAuthFromEnv();
const app = new Koa();
const router = new Router();
app.use(djangoSession(auth));

router.get('/', (ctx) => { ctx.body = { loggedIn: ctx.state.loggedIn, username: ctx.state.user?.username ?? null }; });
router.get('/private', loginRequired(), (ctx) => { ctx.body = `Hello, ${ctx.state.user.username}`; });
app.use(router.routes());

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
