import type { SqliteDatabase } from '../databases/sqlite.ts';
import { sqliteError } from '../databases/sqlite-error.ts';
import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from './permission-query.ts';
import { sqliteIdent } from './sqlite-store.ts';
import type { PermissionTables } from './tables.ts';

/** The permission query on SQLite's read-only handle. */
export function createSqlitePermissionStore(db: SqliteDatabase, tables: PermissionTables): LoadPermissions {
  const query = permissionQuery(tables, { ident: sqliteIdent, param: () => '?' });
  return async function loadPermissions(userId, scope) {
    const { text, uses } = query[scope];
    const connection = db.connection();
    try {
      return permissionRows(connection.prepare<bigint[], PermissionQueryRow>(text).all(...Array<bigint>(uses).fill(userId)));
    } catch (error) {
      throw sqliteError(db.file, error);
    }
  };
}
