import type * as mariadb from 'mariadb';
import { mysqlIdent } from './mariadb-store.ts';
import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from './permission-query.ts';
import type { PermissionTables } from './tables.ts';

/** The permission query on MySQL/MariaDB, a prepared statement on the store's pool. */
export function createMariaDbPermissionStore(pool: mariadb.Pool, tables: PermissionTables): LoadPermissions {
  const query = permissionQuery(tables, { ident: mysqlIdent, param: () => '?' });
  return async function loadPermissions(userId, scope) {
    const { text, uses } = query[scope];
    const rows = (await pool.execute<PermissionQueryRow[]>(text, Array(uses).fill(userId))) as PermissionQueryRow[];
    return permissionRows(rows);
  };
}
