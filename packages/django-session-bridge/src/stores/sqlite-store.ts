import type Sqlite from 'better-sqlite3';
import type { SqliteDatabase } from '../databases/sqlite.ts';
import { sqliteError } from '../databases/sqlite-error.ts';
import { naiveExpiry } from './naive-expiry.ts';
import type { SessionStore } from './store.ts';
import { fitsPrimaryKey, type DjangoTables } from './tables.ts';
import { toDjangoUser, USER_COLUMNS, type UserRow } from './user-row.ts';

/** A SQLite identifier, quoted. */
export function sqliteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** With safe integers on, every integer (ids, the 0/1 of Django's bool columns) comes back as a BigInt. */
type Row = Record<string, string | bigint | null>;

interface Statements {
  session: Sqlite.Statement<[string], Row>;
  user: Sqlite.Statement<[bigint], Row>;
}

/**
 * The hot-path store on SQLite: the same two primary-key lookups as the Prisma store, as statements prepared
 * once per connection on the read-only handle. better-sqlite3 answers synchronously, in microseconds for a primary-key lookup.
 */
export function createSqliteStore(db: SqliteDatabase, tables: DjangoTables): SessionStore {
  const sessionSql = `SELECT session_data, expire_date FROM ${sqliteIdent(tables.sessionTable)} WHERE session_key = ?`;
  const userSql = `SELECT ${USER_COLUMNS.map(sqliteIdent).join(', ')} FROM ${sqliteIdent(tables.userTable)} WHERE id = ?`;
  const prepared = new WeakMap<Sqlite.Database, Statements>();

  function statements(): Statements {
    const connection = db.connection();
    let found = prepared.get(connection);
    if (!found) {
      found = {
        session: connection.prepare<[string], Row>(sessionSql),
        user: connection.prepare<[bigint], Row>(userSql).safeIntegers(true),
      };
      prepared.set(connection, found);
    }
    return found;
  }

  // Opening the file (statements()) names it already; a failing query is named here.
  function run<T>(query: (prepared: Statements) => T): T {
    const prepared = statements();
    try {
      return query(prepared);
    } catch (error) {
      throw sqliteError(db.file, error);
    }
  }

  return {
    async findSession(sessionKey) {
      const row = run((prepared) => prepared.session.get(sessionKey));
      return row ? { sessionData: String(row.session_data), expireDate: naiveExpiry(row.expire_date) } : null;
    },
    async findUser(id) {
      if (!fitsPrimaryKey(id)) return null;
      const row = run((prepared) => prepared.user.get(id));
      return row ? toDjangoUser(row as UserRow) : null;
    },
  };
}
