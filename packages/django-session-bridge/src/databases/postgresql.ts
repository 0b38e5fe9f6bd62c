import pg from 'pg';

/** Django's PostgreSQL database, as the lookups read it. */
export interface PostgresDatabase {
  readonly provider: 'postgresql';
  /** The one connection pool; a caller's own tools (Prisma's adapter, say) may share it. */
  pool: pg.Pool;
  /** timestamptz holds instants: no time zone to apply (unlike MySQL's DATETIME and SQLite's text). */
  readonly naiveDatetimes: false;
  /** Which of these tables are not there. */
  missingTables(tables: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** How a database is opened: its URL, the pool's size and the deadline every wait of a lookup shares. */
export interface DatabaseOptions {
  url: string;
  poolMax: number;
  timeoutMs: number;
  /** Called for errors on idle connections (e.g. PostgreSQL restarting); the pool replaces them. */
  onIdleError?: (error: Error) => void;
}

/**
 * A pg pool as the library opens them. Nothing here depends on the state of a server connection (no startup
 * parameters beyond the user, database and application_name, no SET), so it works the same through PgBouncer
 * in transaction or session mode as directly. The timeout is enforced by the client: PgBouncer refuses
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

/** Django's PostgreSQL database on a pool of its own (createPool), or on the caller's pool. */
export function createPostgresDatabase(options: DatabaseOptions, pool: pg.Pool = createPool(options)): PostgresDatabase {
  return {
    provider: 'postgresql',
    pool,
    naiveDatetimes: false,
    async missingTables(tables) {
      const found = await pool.query<{ name: string }>(
        'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NULL',
        [tables],
      );
      return found.rows.map((row) => row.name);
    },
    async close() {
      await pool.end();
    },
  };
}
