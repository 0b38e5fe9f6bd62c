import * as mariadb from 'mariadb';
import { mysqlConnection } from "./url.js";
export function createMariaDbDatabase({ url, poolMax, timeoutMs }) {
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
            const rows = await pool.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)', [tables]);
            const found = new Set(rows.map((row) => row.name));
            return tables.filter((table) => !found.has(table));
        },
        async close() {
            await pool.end();
        },
    };
}
//# sourceMappingURL=mariadb.js.map