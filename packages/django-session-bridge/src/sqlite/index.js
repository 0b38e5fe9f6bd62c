// SQLite's pieces: they load `better-sqlite3`.
export { createSqliteDatabase } from "../databases/sqlite.js";
export { sqliteError } from "../databases/sqlite-error.js";
//# sourceMappingURL=index.js.map