import type pg from 'pg';
import { openDatabase, type DjangoDatabase } from '../databases/open.ts';

/** The tools scan and count where the service looks up one row: they get longer than DB_TIMEOUT_MS. */
const TOOL_TIMEOUT_MS = 60_000;

type Query = (config: unknown, values?: unknown) => Promise<pg.QueryResult>;

/**
 * The tools' connection to Django's database, made read-only in the database itself so that nothing a tool
 * runs can write, even by mistake. MySQL's connections (SET SESSION TRANSACTION READ ONLY) and SQLite's file
 * (opened read-only) are so already. On PostgreSQL each statement runs in its own READ ONLY transaction: a
 * setting on the connection would not hold through PgBouncer in transaction mode (the next statement may run
 * on another server connection) and would leak to whoever gets that server connection next.
 */
export async function openReadOnlyDatabase(url: string, timeoutMs: number): Promise<DjangoDatabase> {
  const db = await openDatabase({ url, poolMax: 2, timeoutMs: Math.max(timeoutMs, TOOL_TIMEOUT_MS) });
  if (db.provider !== 'postgresql') return db;
  const readOnly: Query = async (config, values) => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const result = await (client.query as Query)(config, values);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // Never hand a connection back in the middle of a failed transaction.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  };
  db.pool.query = readOnly as unknown as pg.Pool['query'];
  return db;
}
