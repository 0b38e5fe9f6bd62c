import { sqliteError } from "../databases/sqlite-error.js";
import { naiveExpiry } from "./naive-expiry.js";
import { fitsPrimaryKey } from "./tables.js";
import { toDjangoUser, USER_COLUMNS } from "./user-row.js";
/** A SQLite identifier, quoted. */
export function sqliteIdent(name) {
    return `"${name.replaceAll('"', '""')}"`;
}
/**
 * The hot-path store on SQLite: the same two primary-key lookups as the Prisma store, as statements prepared
 * once per connection on the read-only handle. better-sqlite3 answers synchronously, in microseconds for a primary-key lookup.
 */
export function createSqliteStore(db, tables) {
    const sessionSql = `SELECT session_data, expire_date FROM ${sqliteIdent(tables.sessionTable)} WHERE session_key = ?`;
    const userSql = `SELECT ${USER_COLUMNS.map(sqliteIdent).join(', ')} FROM ${sqliteIdent(tables.userTable)} WHERE id = ?`;
    const prepared = new WeakMap();
    function statements() {
        const connection = db.connection();
        let found = prepared.get(connection);
        if (!found) {
            found = {
                session: connection.prepare(sessionSql),
                user: connection.prepare(userSql).safeIntegers(true),
            };
            prepared.set(connection, found);
        }
        return found;
    }
    // Opening the file (statements()) names it already; a failing query is named here.
    function run(query) {
        const prepared = statements();
        try {
            return query(prepared);
        }
        catch (error) {
            throw sqliteError(db.file, error);
        }
    }
    return {
        async findSession(sessionKey) {
            const row = run((prepared) => prepared.session.get(sessionKey));
            return row ? { sessionData: String(row.session_data), expireDate: naiveExpiry(row.expire_date) } : null;
        },
        async findUser(id) {
            if (!fitsPrimaryKey(id))
                return null;
            const row = run((prepared) => prepared.user.get(id));
            return row ? toDjangoUser(row) : null;
        },
    };
}
//# sourceMappingURL=sqlite-store.js.map