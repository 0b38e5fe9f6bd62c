import { sqliteError } from "../databases/sqlite-error.js";
import { permissionQuery, permissionRows } from "./permission-query.js";
import { sqliteIdent } from "./sqlite-store.js";
/** The permission query on SQLite's read-only handle. */
export function createSqlitePermissionStore(db, tables) {
    const query = permissionQuery(tables, { ident: sqliteIdent, param: () => '?' });
    return async function loadPermissions(userId, scope) {
        const { text, uses } = query[scope];
        const connection = db.connection();
        try {
            return permissionRows(connection.prepare(text).all(...Array(uses).fill(userId)));
        }
        catch (error) {
            throw sqliteError(db.file, error);
        }
    };
}
//# sourceMappingURL=sqlite-permissions-store.js.map