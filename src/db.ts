import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

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

export function createDatabase({ url, poolMax, timeoutMs, onIdleError }: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    // adapter-pg sends Dates as UTC wall-clock time; a session TimeZone other than UTC would shift them.
    options: '-c TimeZone=UTC',
    application_name: 'django-session-bridge',
  });
  pool.on('error', (error) => onIdleError?.(error));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
