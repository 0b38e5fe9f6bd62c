import type pg from 'pg';
import { reachesPostgresDirectly } from '../databases/direct-connection.ts';
import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from './permission-query.ts';
import { pgIdent } from './sql-store.ts';
import type { PermissionTables } from './tables.ts';

/**
 * The permission query on the pg pool, next to the sql session store. A named prepared statement only where
 * the connection is direct (see direct-connection.ts): through PgBouncer in transaction mode it would be
 * missing from, or already on, the next server connection. PostgreSQL numbers its parameters, so the id is
 * sent once.
 */
export function createSqlPermissionStore(pool: pg.Pool, tables: PermissionTables): LoadPermissions {
  const query = permissionQuery(tables, { ident: pgIdent, param: () => '$1::int8' });
  return async function loadPermissions(userId, scope) {
    const { text } = query[scope];
    const values = [userId.toString()];
    const direct = await reachesPostgresDirectly(pool);
    const result = await pool.query<PermissionQueryRow>(direct ? { name: `bridge_permissions_${scope}`, text, values } : { text, values });
    return permissionRows(result.rows);
  };
}
