import { openDatabase, type DjangoDatabase } from '../databases/open.ts';

/** The tools scan and count where the service looks up one row: they get longer than DB_TIMEOUT_MS. */
const TOOL_TIMEOUT_MS = 60_000;

/**
 * The tools' connection to Django's database, made read-only in the database itself so that nothing a tool
 * runs can write, even by mistake. MySQL's connections (SET SESSION TRANSACTION READ ONLY) and SQLite's file
 * (opened read-only) are so already; PostgreSQL's service pool is not, as a role's own setting usually does it.
 */
export function openReadOnlyDatabase(url: string, timeoutMs: number): DjangoDatabase {
  const db = openDatabase({ url, poolMax: 2, timeoutMs: Math.max(timeoutMs, TOOL_TIMEOUT_MS) });
  if (db.provider !== 'postgresql') return db;
  // pg-pool awaits onConnect before handing a new connection out, and ends the connection (failing the
  // request) if it rejects: no query ever runs on a connection that is not read-only.
  db.pool.options.onConnect = async (client) => {
    await client.query('SET default_transaction_read_only = on');
  };
  return db;
}
