import { mysqlIdent } from "./mariadb-store.js";
import { permissionQuery, permissionRows } from "./permission-query.js";
/** The permission query on MySQL/MariaDB, a prepared statement on the store's pool. */
export function createMariaDbPermissionStore(pool, tables) {
    const query = permissionQuery(tables, { ident: mysqlIdent, param: () => '?' });
    return async function loadPermissions(userId, scope) {
        const { text, uses } = query[scope];
        const rows = (await pool.execute(text, Array(uses).fill(userId)));
        return permissionRows(rows);
    };
}
//# sourceMappingURL=mariadb-permissions-store.js.map