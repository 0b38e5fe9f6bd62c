// Apart from sqlite.ts so that the store can name the file without loading better-sqlite3 and its adapter.
/** An error that says which file, for the "database unavailable" log line. */
export function sqliteError(file, error) {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`SQLite database ${file}: ${message}`, { cause: error });
}
//# sourceMappingURL=sqlite-error.js.map