// The service's own Koa app — same middleware, same template, same Django checks (signature, zlib, JSON,
// auth hash) — with the two lookups answered from memory: the cost of everything except the database.
// It loads the compiled build (dist/) like `npm start`, or the sources under BENCH_SOURCE=1.
import type { DjangoUser } from 'django-session-bridge/django';
import type { SessionRow, SessionStore } from 'django-session-bridge';

const build = process.env.BENCH_SOURCE === '1' ? { dir: '../src/', ext: '.ts' } : { dir: '../dist/', ext: '.js' };

function load<Module>(path: string): Promise<Module> {
  return import(new URL(`${build.dir}${path}${build.ext}`, import.meta.url).href) as Promise<Module>;
}

const [{ createApp }, { loadConfig }, { createDatabase }, { createLogger }, { createAuthenticate, toDjangoUser, USER_COLUMNS }] = await Promise.all([
  load<typeof import('../src/app.ts')>('app'),
  load<typeof import('../src/config.ts')>('config'),
  load<typeof import('../src/db.ts')>('db'),
  load<typeof import('../src/logger.ts')>('logger'),
  import('django-session-bridge'),
]);

const config = loadConfig();
const logger = createLogger(config.logLevel);
const db = createDatabase({ url: config.databaseUrl as string, poolMax: 2, timeoutMs: config.dbTimeoutMs });

type UserRow = Parameters<typeof toDjangoUser>[0];

/** Every session and user, read once at start-up; requests never reach the database. */
async function memoryStore(): Promise<SessionStore> {
  const sessions = new Map<string, SessionRow>();
  const users = new Map<bigint, DjangoUser>();
  const sessionRows = await db.pool.query<{ session_key: string; session_data: string; expire_date: Date }>(
    'SELECT session_key, session_data, expire_date FROM django_session',
  );
  for (const row of sessionRows.rows) sessions.set(row.session_key, { sessionData: row.session_data, expireDate: row.expire_date });
  const userRows = await db.pool.query<UserRow>(`SELECT ${USER_COLUMNS.join(', ')} FROM auth_user`);
  for (const row of userRows.rows) users.set(BigInt(row.id as string), toDjangoUser(row as Parameters<typeof toDjangoUser>[0]));
  return {
    findSession: async (key) => sessions.get(key) ?? null,
    findUser: async (id) => users.get(id) ?? null,
  };
}

const lookups = createAuthenticate({ store: await memoryStore(), settings: config.django, engine: config.sessionEngine });
const server = createApp({ config, db, logger, lookups }).listen(config.port, config.host);
process.once('SIGTERM', () => {
  server.close(() => void db.close());
  server.closeIdleConnections();
});
