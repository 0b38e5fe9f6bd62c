import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from './permission-query.ts';

/**
 * The same query sent straight to the pg pool as a named prepared statement, next to the sql session
 * store: it skips Prisma's per-query cost, and a process whose lookups never touch Prisma does not pay its
 * first-query start-up on a visitor's request either.
 */
export function createSqlPermissionStore(pool: pg.Pool, prisma: PrismaClient): LoadPermissions {
  const query = permissionQuery(prisma);
  return async function loadPermissions(userId, scope) {
    const { text, values } = query(userId.toString(), scope);
    const result = await pool.query<PermissionQueryRow>({ name: `bridge_permissions_${scope}`, text, values });
    return permissionRows(result.rows);
  };
}
