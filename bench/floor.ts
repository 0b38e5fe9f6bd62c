// The floor: what the page costs with nothing but node:http and a pg pool of 10 making the same two
// primary-key lookups as the service (named prepared statements), with no signature, hash or is_active
// check, no framework, no template and no log. Nothing real can be faster; the service is measured against it.
import pg from 'pg';
import { serveFloor } from './floor-http.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

serveFloor({
  async session(key) {
    const { rows } = await pool.query<{ session_data: string; expire_date: Date }>({
      name: 'floor_session',
      text: 'SELECT session_data, expire_date FROM django_session WHERE session_key = $1',
      values: [key],
    });
    const row = rows[0];
    return row && { data: row.session_data, expiresAt: row.expire_date.getTime() };
  },
  async username(id) {
    const { rows } = await pool.query<{ username: string }>({ name: 'floor_user', text: 'SELECT username FROM auth_user WHERE id = $1', values: [id] });
    return rows[0]?.username;
  },
  close: () => pool.end(),
});
