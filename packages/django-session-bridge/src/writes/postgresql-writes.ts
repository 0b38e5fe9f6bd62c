import pg from 'pg';
import { pgIdent } from '../stores/sql-store.ts';
import type { WriteDatabase, WriteDatabaseOptions, WriteTransaction } from './write-database.ts';

function statements(client: pg.PoolClient, sessionTable: string, userTable: string): WriteTransaction {
  const sessions = pgIdent(sessionTable);
  const users = pgIdent(userTable);
  return {
    async insertSession(key, sessionData, expireDate) {
      const inserted = await client.query(
        `INSERT INTO ${sessions} (session_key, session_data, expire_date) VALUES ($1, $2, $3) ON CONFLICT (session_key) DO NOTHING`,
        [key, sessionData, expireDate],
      );
      return inserted.rowCount === 1;
    },
    async updateSession(key, sessionData, expireDate) {
      const updated = await client.query(`UPDATE ${sessions} SET session_data = $2, expire_date = $3 WHERE session_key = $1`, [key, sessionData, expireDate]);
      return updated.rowCount === 1;
    },
    async deleteSession(key) {
      await client.query(`DELETE FROM ${sessions} WHERE session_key = $1`, [key]);
    },
    async saveLastLogin(userId, now) {
      await client.query(`UPDATE ${users} SET last_login = $1 WHERE id = $2::int8`, [now, userId.toString()]);
    },
    async savePassword(userId, encoded) {
      await client.query(`UPDATE ${users} SET password = $1 WHERE id = $2::int8`, [encoded, userId.toString()]);
    },
  };
}

/** DATABASE_WRITE_URL on PostgreSQL: a small pg pool of its own, apart from the read side's. */
export function openPostgresWrites({ url, sessionTable, userTable, timeoutMs, poolMax }: WriteDatabaseOptions): WriteDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'django-session-bridge-writes',
    // Idle connections go, and never keep the process alive.
    idleTimeoutMillis: 5000,
    allowExitOnIdle: true,
  });
  // Without a listener, an idle connection's error (PostgreSQL restarting) would end the process.
  pool.on('error', () => {});
  return {
    async loadSession(key, now) {
      const result = await pool.query<{ session_data: string }>(`SELECT session_data FROM ${pgIdent(sessionTable)} WHERE session_key = $1 AND expire_date > $2`, [key, now]);
      return result.rows[0]?.session_data ?? null;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(statements(client, sessionTable, userTable));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
