// Express: req.user is Django's request.user (or null). Run with DATABASE_URL and DJANGO_SECRET_KEY set.
import express from 'express';
import { djangoAuthFromEnv } from 'django-session-bridge';
import { djangoSession, loginRequired } from 'django-session-bridge/express';

const auth = djangoAuthFromEnv();
const app = express();
app.use(djangoSession(auth));

app.get('/', (req, res) => res.json({ loggedIn: res.locals.loggedIn, username: req.user?.username ?? null }));
app.get('/private', loginRequired(), (req, res) => res.send(`Hello, ${req.user.username}`));

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
