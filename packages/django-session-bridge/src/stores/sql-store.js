import { reachesPostgresDirectly } from "../databases/direct-connection.js";
import { fitsPrimaryKey } from "./tables.js";
import { toDjangoUser, USER_COLUMNS } from "./user-row.js";
/** A PostgreSQL identifier, quoted. */
export function pgIdent(name) {
    return `"${name.replaceAll('"', '""')}"`;
}
/**
 * The hot-path store on PostgreSQL: two primary-key lookups sent straight to the pg pool (~80 µs of CPU
 * each, where Prisma Client's findUnique costs ~400 µs). Named prepared statements (parsed and planned once
 * per connection) only where the connection is known to end at PostgreSQL itself; through PgBouncer or any
 * other pooler, unnamed ones: a named statement lives on one server connection, which a transaction pooler
 * does not keep for us. The id goes as int8 so that an int column compares without an overflow error.
 */
export function createSqlStore(pool, tables) {
    const sessionSql = `SELECT session_data, expire_date FROM ${pgIdent(tables.sessionTable)} WHERE session_key = $1`;
    const userSql = `SELECT ${USER_COLUMNS.map(pgIdent).join(', ')} FROM ${pgIdent(tables.userTable)} WHERE id = $1::int8`;
    const statement = async (name, text, value) => (await reachesPostgresDirectly(pool)) ? { name, text, values: [value] } : { text, values: [value] };
    return {
        async findSession(sessionKey) {
            const result = await pool.query(await statement('bridge_find_session', sessionSql, sessionKey));
            const row = result.rows[0];
            return row ? { sessionData: row.session_data, expireDate: row.expire_date } : null;
        },
        async findUser(id) {
            if (!fitsPrimaryKey(id))
                return null;
            const result = await pool.query(await statement('bridge_find_user', userSql, id.toString()));
            const row = result.rows[0];
            return row ? toDjangoUser(row) : null;
        },
    };
}
//# sourceMappingURL=sql-store.js.map