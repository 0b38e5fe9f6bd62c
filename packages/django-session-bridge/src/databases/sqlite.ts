import Sqlite from 'better-sqlite3';
import type { DatabaseOptions } from './postgresql.ts';
import { sqliteError } from './sqlite-error.ts';
import { sqlitePath } from './url.ts';

/**
 * Django's SQLite file, opened read-only (SQLITE_OPEN_READONLY: no write, no journal, no -wal or -shm of
 * ours). Opened when first needed and again after a failure, so a file that is missing or unreadable at
 * start-up is a 503 (and a log line naming it) until it is there, without a restart.
 */
export interface SqliteDatabase {
  readonly provider: 'sqlite';
  file: string;
  /** The read-only connection the sqlite store queries; throws (naming the file) when it cannot be opened. */
  connection(): Sqlite.Database;
  /** The options a read-only connection of a caller's own tools (Prisma's adapter, say) should use too. */
  readonly connectionOptions: Sqlite.Options;
  /** Django's SQLite backend stores datetimes as naive text: UTC with USE_TZ = True, TIME_ZONE's wall clock without. */
  readonly naiveDatetimes: true;
  missingTables(tables: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Django's SQLite file opened read-only with better-sqlite3 (the file must exist), waiting at most 250 ms for a write lock. */
export function createSqliteDatabase({ url, timeoutMs }: DatabaseOptions): SqliteDatabase {
  const file = sqlitePath(url);
  // SQLite's busy handler waits synchronously, holding Node's event loop: wait for Django's write lock only
  // briefly (a commit holds it for milliseconds), and answer 503 for a lock held longer.
  const options = { readonly: true, fileMustExist: true, timeout: Math.min(timeoutMs, 250) };
  let handle: Sqlite.Database | undefined;
  const connection = () => {
    if (handle?.open) return handle;
    try {
      handle = new Sqlite(file, options);
    } catch (error) {
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
      const found = new Set(
        connection()
          .prepare<unknown[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${tables.map(() => '?').join(', ')})`)
          .all(...tables)
          .map((row) => row.name),
      );
      return tables.filter((table) => !found.has(table));
    },
    async close() {
      handle?.close();
    },
  };
}
