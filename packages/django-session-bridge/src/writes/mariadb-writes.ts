import * as mariadb from 'mariadb';
import { formatNaiveDatetime } from '../django/index.ts';
import { mysqlConnection } from '../databases/url.ts';
import { mysqlIdent } from '../stores/mariadb-store.ts';
import { naiveDialectParts, type WriteDatabase, type WriteDatabaseOptions, type WriteTransaction } from './write-database.ts';

// ER_DUP_ENTRY: the IntegrityError Django's save(must_create=True) catches to try another key.
const DUPLICATE_KEY = 1062;

function statements(connection: mariadb.PoolConnection, options: WriteDatabaseOptions): WriteTransaction {
  const { sessions, users, naive } = naiveDialectParts(options, mysqlIdent);
  return {
    async insertSession(key, sessionData, expireDate) {
      try {
        await connection.query(`INSERT INTO ${sessions} (session_key, session_data, expire_date) VALUES (?, ?, ?)`, [key, sessionData, naive(expireDate)]);
        return true;
      } catch (error) {
        if ((error as { errno?: number }).errno === DUPLICATE_KEY) return false;
        throw error;
      }
    },
    async updateSession(key, sessionData, expireDate) {
      const result = await connection.query<mariadb.UpsertResult>(`UPDATE ${sessions} SET session_data = ?, expire_date = ? WHERE session_key = ?`, [sessionData, naive(expireDate), key]);
      return result.affectedRows === 1;
    },
    async deleteSession(key) {
      await connection.query(`DELETE FROM ${sessions} WHERE session_key = ?`, [key]);
    },
    async saveLastLogin(userId, now) {
      await connection.query(`UPDATE ${users} SET last_login = ? WHERE id = ?`, [naive(now), userId]);
    },
    async savePassword(userId, encoded) {
      await connection.query(`UPDATE ${users} SET password = ? WHERE id = ?`, [encoded, userId]);
    },
  };
}

/** DATABASE_WRITE_URL on MySQL/MariaDB: a small pool of its own; DATETIMEs written as Django's naive text. */
export function openMariaDbWrites(options: WriteDatabaseOptions): WriteDatabase {
  const pool = mariadb.createPool({
    ...mysqlConnection(options.url),
    connectionLimit: options.poolMax,
    connectTimeout: options.timeoutMs,
    acquireTimeout: options.timeoutMs,
    queryTimeout: options.timeoutMs,
    idleTimeout: 5,
    minimumIdle: 0,
    charset: 'utf8mb4',
    dateStrings: true,
    // affectedRows counts the rows an UPDATE found, not only those it changed: a save of the same values found its row.
    foundRows: true,
  });
  return {
    async loadSession(key, now) {
      const rows = await pool.query<{ session_data: string }[]>(
        `SELECT session_data FROM ${mysqlIdent(options.sessionTable)} WHERE session_key = ? AND expire_date > ?`,
        [key, formatNaiveDatetime(now, options.naiveZone)],
      );
      return rows[0]?.session_data ?? null;
    },
    async transaction(work) {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const result = await work(statements(connection, options));
        await connection.commit();
        return result;
      } catch (error) {
        await connection.rollback().catch(() => {});
        throw error;
      } finally {
        await connection.release();
      }
    },
    close: () => pool.end(),
  };
}
