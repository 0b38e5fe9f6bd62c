// The floor on SQLite: the floor's page (floor-http.ts) with the same two primary-key lookups made as the
// sqlite store makes them: better-sqlite3 on a read-only handle, both statements prepared once.
import Sqlite from 'better-sqlite3';
import { sqlitePath } from 'django-session-bridge';
import { naiveUtcMs, serveFloor } from './floor-http.ts';

const db = new Sqlite(sqlitePath(process.env.DATABASE_URL as string), { readonly: true, fileMustExist: true });
const session = db.prepare<[string], { session_data: string; expire_date: string }>('SELECT session_data, expire_date FROM django_session WHERE session_key = ?');
const user = db.prepare<[number], { username: string }>('SELECT username FROM auth_user WHERE id = ?');

serveFloor({
  async session(key) {
    const row = session.get(key);
    return row && { data: row.session_data, expiresAt: naiveUtcMs(row.expire_date) };
  },
  async username(id) {
    return user.get(Number(id))?.username;
  },
  async close() {
    db.close();
  },
});
