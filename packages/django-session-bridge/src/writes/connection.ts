import pg from 'pg';

/** The write role's own pool, apart from the read side's: only log-in, log-out and password changes use it. */
export interface WriteConnection {
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Opens DATABASE_WRITE_URL (PostgreSQL) with a small pool and the read side's timeout. */
export function openWriteConnection(url: string, timeoutMs: number, poolMax: number): WriteConnection {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'django-session-bridge-writes',
    // Log-ins are rare next to page views: idle connections go, and never keep the process alive.
    idleTimeoutMillis: 5000,
    allowExitOnIdle: true,
  });
  // Without a listener, an idle connection's error (PostgreSQL restarting) would end the process.
  pool.on('error', () => {});
  return { pool, close: () => pool.end() };
}
