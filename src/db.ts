import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { prismaAdapter } from './prisma-adapter.ts';

export interface Database {
  readonly provider: 'postgresql';
  /** The one connection pool: Prisma's adapter and the sql session store share it. */
  pool: pg.Pool;
  prisma: PrismaClient;
  /** timestamptz holds instants: no time zone to apply (unlike MySQL's DATETIME and SQLite's text). */
  readonly naiveDatetimes: false;
  /** Which of these tables are not there. */
  missingTables(tables: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  timeoutMs: number;
  /** Called for errors on idle connections (e.g. PostgreSQL restarting); the pool replaces them. */
  onIdleError?: (error: Error) => void;
}

/**
 * A pg pool as the service opens them. Nothing here depends on the state of a server connection (no startup
 * parameters beyond the user, database and application_name, no SET), so it works the same through PgBouncer
 * in transaction or session mode as directly. DB_TIMEOUT_MS is enforced by the client: PgBouncer refuses
 * statement_timeout as a startup parameter.
 */
export function createPool({ url, poolMax, timeoutMs, onIdleError }: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'django-session-bridge',
  });
  // Without a listener, an idle connection's error (PostgreSQL restarting) would end the process.
  pool.on('error', (error) => onIdleError?.(error));
  return pool;
}

/**
 * Django's PostgreSQL database: one pool (createPool), shared by Prisma's adapter and the sql store, which
 * uses named prepared statements only on connections proven direct (direct-connection.ts).
 */
export function createDatabase(options: DatabaseOptions): Database {
  const pool = createPool(options);
  const prisma = new PrismaClient({ adapter: prismaAdapter(pool) });
  return {
    provider: 'postgresql',
    pool,
    prisma,
    naiveDatetimes: false,
    async missingTables(tables) {
      const found = await pool.query<{ name: string }>(
        'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NULL',
        [tables],
      );
      return found.rows.map((row) => row.name);
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
