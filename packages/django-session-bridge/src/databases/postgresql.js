import pg from 'pg';
/**
 * A pg pool as the library opens them. Nothing here depends on the state of a server connection (no startup
 * parameters beyond the user, database and application_name, no SET), so it works the same through PgBouncer
 * in transaction or session mode as directly. The timeout is enforced by the client: PgBouncer refuses
 * statement_timeout as a startup parameter.
 */
export function createPool({ url, poolMax, timeoutMs, onIdleError }) {
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
export function createPostgresDatabase(options, pool = createPool(options)) {
    return {
        provider: 'postgresql',
        pool,
        naiveDatetimes: false,
        async missingTables(tables) {
            const found = await pool.query('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NULL', [tables]);
            return found.rows.map((row) => row.name);
        },
        async close() {
            await pool.end();
        },
    };
}
//# sourceMappingURL=postgresql.js.map