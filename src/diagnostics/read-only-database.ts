import { createDatabase, type Database } from '../db.ts';

/** The tools scan and count where the service looks up one row: they get longer than DB_TIMEOUT_MS. */
const TOOL_TIMEOUT_MS = 60_000;

/**
 * The tools' connection to Django's database, made read-only in PostgreSQL itself so that nothing a tool
 * runs can write, even by mistake.
 */
export function openReadOnlyDatabase(url: string, timeoutMs: number): Database {
  const db = createDatabase({ url, poolMax: 2, timeoutMs: Math.max(timeoutMs, TOOL_TIMEOUT_MS) });
  // pg-pool awaits onConnect before handing a new connection out, and ends the connection (failing the
  // request) if it rejects: no query ever runs on a connection that is not read-only.
  db.pool.options.onConnect = async (client) => {
    await client.query('SET default_transaction_read_only = on');
  };
  return db;
}
