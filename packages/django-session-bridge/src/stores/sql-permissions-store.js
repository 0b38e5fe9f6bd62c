import { reachesPostgresDirectly } from "../databases/direct-connection.js";
import { permissionQuery, permissionRows } from "./permission-query.js";
import { pgIdent } from "./sql-store.js";
/**
 * The permission query on the pg pool, next to the sql session store. A named prepared statement only where
 * the connection is direct (see direct-connection.ts): through PgBouncer in transaction mode it would be
 * missing from, or already on, the next server connection. PostgreSQL numbers its parameters, so the id is
 * sent once.
 */
export function createSqlPermissionStore(pool, tables) {
    const query = permissionQuery(tables, { ident: pgIdent, param: () => '$1::int8' });
    return async function loadPermissions(userId, scope) {
        const { text } = query[scope];
        const values = [userId.toString()];
        const direct = await reachesPostgresDirectly(pool);
        const result = await pool.query(direct ? { name: `bridge_permissions_${scope}`, text, values } : { text, values });
        return permissionRows(result.rows);
    };
}
//# sourceMappingURL=sql-permissions-store.js.map