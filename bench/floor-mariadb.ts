// The floor on MySQL/MariaDB: the floor's page (floor-http.ts) with the same two primary-key lookups made
// as the mariadb store makes them: the mariadb driver, a pool of 10, server-side prepared statements
// (execute(), cached per connection), DATETIME as its text.
import * as mariadb from 'mariadb';
import { mysqlConnection } from 'django-session-bridge';
import { naiveUtcMs, serveFloor } from './floor-http.ts';

const pool = mariadb.createPool({ ...mysqlConnection(process.env.DATABASE_URL as string), connectionLimit: 10, charset: 'utf8mb4', dateStrings: true });

serveFloor({
  async session(key) {
    const [row] = await pool.execute<{ session_data: string; expire_date: string }[]>('SELECT session_data, expire_date FROM django_session WHERE session_key = ?', [key]);
    return row && { data: row.session_data, expiresAt: naiveUtcMs(row.expire_date) };
  },
  async username(id) {
    const [row] = await pool.execute<{ username: string }[]>('SELECT username FROM auth_user WHERE id = ?', [id]);
    return row?.username;
  },
  close: () => pool.end(),
});
