import * as mariadb from 'mariadb';
import type { DatabaseOptions } from './postgresql.ts';
import { mysqlConnection } from './url.ts';

/** Django's MySQL or MariaDB database: one mariadb pool, read-only by its session settings. */
export interface MariaDbDatabase {
  readonly provider: 'mysql';
  pool: mariadb.Pool;
  /** DATETIME is naive: UTC with USE_TZ = True, TIME_ZONE's wall clock without. */
  readonly naiveDatetimes: true;
  missingTables(tables: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** A MariaDB/MySQL pool (the `mariadb` driver) whose every connection is read-only, with DATETIMEs read as their text. */
export function createMariaDbDatabase({ url, poolMax, timeoutMs }: DatabaseOptions): MariaDbDatabase {
  const pool = mariadb.createPool({
    ...mysqlConnection(url),
    connectionLimit: poolMax,
    connectTimeout: timeoutMs,
    acquireTimeout: timeoutMs,
    charset: 'utf8mb4',
    // DATETIME as its text: a naive value whose zone Django's USE_TZ decides, never Node's local zone.
    dateStrings: true,
    // The counterpart of PostgreSQL's default_transaction_read_only: any write is refused by the server.
    initSql: 'SET SESSION TRANSACTION READ ONLY',
  });
  return {
    provider: 'mysql',
    pool,
    naiveDatetimes: true,
    async missingTables(tables) {
      const rows = await pool.query<{ name: string }[]>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)',
        [tables],
      );
      const found = new Set(rows.map((row) => row.name));
      return tables.filter((table) => !found.has(table));
    },
    async close() {
      await pool.end();
    },
  };
}
