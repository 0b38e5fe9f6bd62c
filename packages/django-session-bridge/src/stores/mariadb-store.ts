import type * as mariadb from 'mariadb';
import { naiveExpiry } from './naive-expiry.ts';
import type { SessionStore } from './store.ts';
import { fitsPrimaryKey, type DjangoTables } from './tables.ts';
import { toDjangoUser, USER_COLUMNS, type UserRow } from './user-row.ts';

/** A MySQL identifier, quoted. */
export function mysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

type Row = Record<string, string | number | bigint | null>;

/**
 * The hot-path store on MySQL/MariaDB: the same two primary-key lookups, as server-side prepared statements
 * (the driver caches them per connection). DATETIME comes back as its text: naive, read at Django's zone.
 */
export function createMariaDbStore(pool: mariadb.Pool, tables: DjangoTables): SessionStore {
  const sessionSql = `SELECT session_data, expire_date FROM ${mysqlIdent(tables.sessionTable)} WHERE session_key = ?`;
  const userSql = `SELECT ${USER_COLUMNS.map(mysqlIdent).join(', ')} FROM ${mysqlIdent(tables.userTable)} WHERE id = ?`;

  return {
    async findSession(sessionKey) {
      const [row] = (await pool.execute<Row[]>(sessionSql, [sessionKey])) as Row[];
      return row ? { sessionData: String(row.session_data), expireDate: naiveExpiry(row.expire_date) } : null;
    },
    async findUser(id) {
      if (!fitsPrimaryKey(id)) return null;
      const [row] = (await pool.execute<Row[]>(userSql, [id])) as Row[];
      return row ? toDjangoUser(row as UserRow) : null;
    },
  };
}
