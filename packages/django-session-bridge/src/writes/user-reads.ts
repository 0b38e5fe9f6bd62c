import type { DjangoDatabase } from '../databases/open.ts';
import type { DjangoUser } from '../django/index.ts';
import { mysqlIdent } from '../stores/mariadb-store.ts';
import { pgIdent } from '../stores/sql-store.ts';
import { sqliteIdent } from '../stores/sqlite-store.ts';
import { fitsPrimaryKey } from '../stores/tables.ts';
import { toDjangoUser, USER_COLUMNS, type UserRow } from '../stores/user-row.ts';

/** The user rows the write side reads, on the read side's read-only connection. */
export interface UserReads {
  /** UserManager.get_by_natural_key: the row whose USERNAME_FIELD equals `username`. */
  byNaturalKey(usernameField: string, username: string): Promise<DjangoUser | null>;
  byId(id: bigint): Promise<DjangoUser | null>;
}

type Select = (where: string, value: string | bigint) => Promise<UserRow[]>;

// One SELECT of the user columns per driver; the rest (uniqueness, the id's range) is the same for all.
function selectOn(database: DjangoDatabase, table: string): Select {
  switch (database.provider) {
    case 'postgresql':
      return async (where, value) => {
        // The id as int8, so that an int column compares without an overflow error.
        const parameter = typeof value === 'bigint' ? '$1::int8' : '$1';
        const sql = `SELECT ${USER_COLUMNS.map(pgIdent).join(', ')} FROM ${pgIdent(table)} WHERE ${pgIdent(where)} = ${parameter}`;
        return (await database.pool.query<UserRow>(sql, [value.toString()])).rows;
      };
    case 'mysql':
      return async (where, value) => {
        const sql = `SELECT ${USER_COLUMNS.map(mysqlIdent).join(', ')} FROM ${mysqlIdent(table)} WHERE ${mysqlIdent(where)} = ?`;
        return database.pool.query<UserRow[]>(sql, [value]);
      };
    case 'sqlite':
      return async (where, value) => {
        const sql = `SELECT ${USER_COLUMNS.map(sqliteIdent).join(', ')} FROM ${sqliteIdent(table)} WHERE ${sqliteIdent(where)} = ?`;
        return database.connection().prepare<[string | bigint], UserRow>(sql).safeIntegers(true).all(value);
      };
  }
}

/** The user table of Django's database, as the write side reads it. */
export function userReads(database: DjangoDatabase, userTable: string): UserReads {
  const select = selectOn(database, userTable);
  return {
    async byNaturalKey(usernameField, username) {
      const rows = await select(usernameField, username);
      // A USERNAME_FIELD is unique; more than one row is MultipleObjectsReturned in Django, a failure here too.
      if (rows.length > 1) throw new Error(`${userTable}.${usernameField} is not unique`);
      return rows[0] ? toDjangoUser(rows[0]) : null;
    },
    async byId(id) {
      if (!fitsPrimaryKey(id)) return null;
      const [row] = await select('id', id);
      return row ? toDjangoUser(row) : null;
    },
  };
}
