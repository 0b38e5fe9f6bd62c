import Sqlite from 'better-sqlite3';
import { sqliteError } from "./sqlite-error.js";
import { sqlitePath } from "./url.js";
export function createSqliteDatabase({ url, timeoutMs }) {
    const file = sqlitePath(url);
    // SQLite's busy handler waits synchronously, holding Node's event loop: wait for Django's write lock only
    // briefly (a commit holds it for milliseconds), and answer 503 for a lock held longer.
    const options = { readonly: true, fileMustExist: true, timeout: Math.min(timeoutMs, 250) };
    let handle;
    const connection = () => {
        if (handle?.open)
            return handle;
        try {
            handle = new Sqlite(file, options);
        }
        catch (error) {
            throw sqliteError(file, error);
        }
        return handle;
    };
    return {
        provider: 'sqlite',
        file,
        connection,
        connectionOptions: options,
        naiveDatetimes: true,
        async missingTables(tables) {
            const found = new Set(connection()
                .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${tables.map(() => '?').join(', ')})`)
                .all(...tables)
                .map((row) => row.name));
            return tables.filter((table) => !found.has(table));
        },
        async close() {
            handle?.close();
        },
    };
}
//# sourceMappingURL=sqlite.js.map