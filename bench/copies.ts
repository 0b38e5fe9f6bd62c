import pg from 'pg';
import { mariadbDjangoDb, naiveUtc, sqliteDjangoDb, type DjangoDb } from '../test/helpers/django-databases.ts';
import { missingMariaDb, startMariaDb } from '../test/helpers/mariadb-server.ts';

/** The bench database's rows in another of Django's databases, for that database's variants. */
export interface BenchCopy {
  /** The service's DATABASE_URL for it. */
  url: string;
  /** The server's or library's version, for the machine line. */
  version: string;
  destroy(): Promise<void>;
}

interface UserRow {
  id: number;
  password: string;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  is_staff: boolean;
  is_active: boolean;
  is_superuser: boolean;
}

/**
 * Every django_session and auth_user row of the PostgreSQL bench database, written as Django writes them on
 * `target` (expire_date naive UTC): the same keys, ids and passwords, so the same cookies log the same users in.
 */
async function copyRows(sourceUrl: string, target: DjangoDb): Promise<void> {
  const client = new pg.Client({ connectionString: sourceUrl });
  await client.connect();
  try {
    const users = await client.query<UserRow>('SELECT id, password, username, first_name, last_name, email, is_staff, is_active, is_superuser FROM auth_user ORDER BY id');
    for (const user of users.rows) {
      await target.insertUser({
        id: user.id,
        username: user.username,
        password: user.password,
        firstName: user.first_name,
        lastName: user.last_name,
        email: user.email,
        isStaff: user.is_staff,
        isActive: user.is_active,
        isSuperuser: user.is_superuser,
      });
    }
    const sessions = await client.query<{ session_key: string; session_data: string; expire_date: Date }>('SELECT session_key, session_data, expire_date FROM django_session');
    for (const row of sessions.rows) await target.insertRawSession(row.session_key, row.session_data, naiveUtc(row.expire_date));
  } finally {
    await client.end();
  }
}

/** Why the MariaDB variants cannot run here, or undefined when they can. */
export function mariadbMissing(): string | undefined {
  const missing = [...new Set(missingMariaDb())];
  return missing.length === 0 ? undefined : `Debian's ${missing.join(', ')} is not installed`;
}

/** A throwaway MariaDB (test/helpers/mariadb-server.ts) with Django's MySQL tables and the bench's rows. */
export async function startBenchMariaDb(sourceUrl: string): Promise<BenchCopy> {
  const server = await startMariaDb();
  try {
    const database = await mariadbDjangoDb(server);
    await copyRows(sourceUrl, database);
    const [row] = await server.admin.query<{ version: string }[]>('SELECT VERSION() AS version');
    return { url: database.url, version: row?.version ?? '?', destroy: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** A SQLite file in a temporary directory with Django's SQLite tables and the bench's rows. */
export async function createBenchSqlite(sourceUrl: string): Promise<BenchCopy> {
  const database = await sqliteDjangoDb();
  try {
    await copyRows(sourceUrl, database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const { version } = database.writer.prepare<[], { version: string }>('SELECT sqlite_version() AS version').get() as { version: string };
  return { url: database.url, version, destroy: () => database.close() };
}
