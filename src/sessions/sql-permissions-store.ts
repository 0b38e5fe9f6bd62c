import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { reachesPostgresDirectly } from '../direct-connection.ts';
import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from './permission-query.ts';

/**
 * The same query sent straight to the pg pool, next to the sql session store: it skips Prisma's per-query
 * cost, and a process whose lookups never touch Prisma does not pay its first-query start-up on a visitor's
 * request either. A named prepared statement only where the connection is direct (see direct-connection.ts):
 * through PgBouncer in transaction mode it would be missing from, or already on, the next server connection.
 */
export function createSqlPermissionStore(pool: pg.Pool, prisma: PrismaClient): LoadPermissions {
  const query = permissionQuery(prisma);
  return async function loadPermissions(userId, scope) {
    const { text, values } = query(userId.toString(), scope);
    const direct = await reachesPostgresDirectly(pool);
    const result = await pool.query<PermissionQueryRow>(direct ? { name: `bridge_permissions_${scope}`, text, values } : { text, values });
    return permissionRows(result.rows);
  };
}
