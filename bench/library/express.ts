// Express 5 + djangoSession: req.user.
import express from 'express';
import { djangoSession } from 'django-session-bridge/express';
import { benchAuth, CONTENT_TYPE, onStop, page, port } from './page.ts';

const auth = benchAuth();
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(djangoSession(auth));
app.use((req, res) => {
  res.type(CONTENT_TYPE).send(page(req.user ?? null));
});
const server = app.listen(port(), '127.0.0.1');
onStop(() => {
  server.close();
  return auth.close();
});
