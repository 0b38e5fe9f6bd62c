import { naiveExpiry } from "./naive-expiry.js";
import { fitsPrimaryKey } from "./tables.js";
import { toDjangoUser, USER_COLUMNS } from "./user-row.js";
/** A MySQL identifier, quoted. */
export function mysqlIdent(name) {
    return `\`${name.replaceAll('`', '``')}\``;
}
/**
 * The hot-path store on MySQL/MariaDB: the same two primary-key lookups, as server-side prepared statements
 * (the driver caches them per connection). DATETIME comes back as its text: naive, read at Django's zone.
 */
export function createMariaDbStore(pool, tables) {
    const sessionSql = `SELECT session_data, expire_date FROM ${mysqlIdent(tables.sessionTable)} WHERE session_key = ?`;
    const userSql = `SELECT ${USER_COLUMNS.map(mysqlIdent).join(', ')} FROM ${mysqlIdent(tables.userTable)} WHERE id = ?`;
    return {
        async findSession(sessionKey) {
            const [row] = (await pool.execute(sessionSql, [sessionKey]));
            return row ? { sessionData: String(row.session_data), expireDate: naiveExpiry(row.expire_date) } : null;
        },
        async findUser(id) {
            if (!fitsPrimaryKey(id))
                return null;
            const [row] = (await pool.execute(userSql, [id]));
            return row ? toDjangoUser(row) : null;
        },
    };
}
//# sourceMappingURL=mariadb-store.js.map