// The floor: what the page costs with nothing but node:http and a pg pool of 10 making the same two
// primary-key lookups as the service (named prepared statements), with no signature, hash or is_active
// check, no framework, no template and no log. Nothing real can be faster; the service is measured against it.
import { createServer } from 'node:http';
import { inflateSync } from 'node:zlib';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const COOKIE = /(?:^|;\s*)sessionid=([a-z0-9]{8,40})(?:;|$)/;

/** `_auth_user_id` from Django's signed session data, read without checking the signature. */
function userId(sessionData: string): string | undefined {
  const payload = sessionData.slice(0, sessionData.indexOf(':'));
  const compressed = payload.startsWith('.');
  const bytes = Buffer.from(compressed ? payload.slice(1) : payload, 'base64url');
  const session = JSON.parse((compressed ? inflateSync(bytes) : bytes).toString('utf8')) as Record<string, unknown>;
  const id = session._auth_user_id;
  return typeof id === 'string' ? id : undefined;
}

async function username(cookieHeader: string | undefined): Promise<string | undefined> {
  const key = cookieHeader && COOKIE.exec(cookieHeader)?.[1];
  if (!key) return undefined;
  const session = await pool.query<{ session_data: string; expire_date: Date }>({
    name: 'floor_session',
    text: 'SELECT session_data, expire_date FROM django_session WHERE session_key = $1',
    values: [key],
  });
  const row = session.rows[0];
  if (!row || row.expire_date.getTime() <= Date.now()) return undefined;
  const id = userId(row.session_data);
  if (id === undefined) return undefined;
  const user = await pool.query<{ username: string }>({ name: 'floor_user', text: 'SELECT username FROM auth_user WHERE id = $1', values: [id] });
  return user.rows[0]?.username;
}

const server = createServer((req, res) => {
  username(req.headers.cookie).then(
    (name) => {
      const body = name === undefined ? '<!doctype html><h1>Not Logged In</h1>\n' : `<!doctype html><h1>Logged In!</h1><p>${name}</p>\n`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    },
    () => {
      res.writeHead(503).end();
    },
  );
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
  void pool.end();
});
