import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { prismaAdapter } from './prisma-adapter.ts';

export interface Database {
  /** The one connection pool: Prisma's adapter and the sql session store share it. */
  pool: pg.Pool;
  prisma: PrismaClient;
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
 * Nothing here depends on the state of a server connection (no startup parameters beyond the user, database
 * and application_name, no SET; named prepared statements only on connections proven direct, see
 * direct-connection.ts), so it works the same through PgBouncer in transaction or session mode as directly.
 * DB_TIMEOUT_MS is enforced by the client: PgBouncer refuses statement_timeout as a startup parameter.
 */
export function createDatabase({ url, poolMax, timeoutMs, onIdleError }: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'django-session-bridge',
  });
  pool.on('error', (error) => onIdleError?.(error));
  const prisma = new PrismaClient({ adapter: prismaAdapter(pool) });
  return {
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
