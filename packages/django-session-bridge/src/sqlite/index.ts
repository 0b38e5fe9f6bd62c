// SQLite's pieces: they load `better-sqlite3`.
export { createSqliteDatabase } from '../databases/sqlite.ts';
export type { SqliteDatabase } from '../databases/sqlite.ts';
export { sqliteError } from '../databases/sqlite-error.ts';
