import type Sqlite from 'better-sqlite3';
import type { SqliteDatabase } from '../databases/sqlite.ts';
import { sqliteError } from '../databases/sqlite-error.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { naiveExpiry } from './naive-expiry.ts';
import { toDjangoUser, USER_SELECT } from './prisma-store.ts';
import type { SessionStore } from './store.ts';
import { describeModels, fitsPrimaryKey } from './user-model.ts';

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SESSION = Prisma.Django_sessionScalarFieldEnum;
const USER = Prisma.Auth_userScalarFieldEnum;
const USER_FIELDS = Object.keys(USER_SELECT) as (keyof typeof USER_SELECT)[];

/** With safe integers on, every integer (ids, the 0/1 of Django's bool columns) comes back as a BigInt. */
type Row = Record<string, string | bigint | null>;

interface Statements {
  session: Sqlite.Statement<[string], Row>;
  user: Sqlite.Statement<[bigint], Row>;
}

/**
 * The hot-path store on SQLite: the same two primary-key lookups as the Prisma store, as statements prepared
 * once per connection on the read-only handle. Table and column names come from the generated SQLite client.
 * better-sqlite3 answers synchronously, in microseconds for a primary-key lookup.
 */
export function createSqliteStore(db: SqliteDatabase): SessionStore {
  const model = describeModels(db.prisma);
  const sessionSql =
    `SELECT ${ident(SESSION.session_data)}, ${ident(SESSION.expire_date)} FROM ${ident(model.sessionTable)} ` +
    `WHERE ${ident(SESSION.session_key)} = ?`;
  const userSql = `SELECT ${USER_FIELDS.map((field) => ident(USER[field])).join(', ')} FROM ${ident(model.userTable)} WHERE ${ident(USER.id)} = ?`;
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
      return row ? { sessionData: String(row[SESSION.session_data]), expireDate: naiveExpiry(row[SESSION.expire_date]) } : null;
    },
    async findUser(id) {
      if (!fitsPrimaryKey(id, model)) return null;
      const row = run((prepared) => prepared.user.get(id));
      if (!row) return null;
      return toDjangoUser({
        id: row[USER.id] as bigint,
        password: String(row[USER.password]),
        is_active: row[USER.is_active] === 1n,
        username: String(row[USER.username]),
        first_name: String(row[USER.first_name]),
        last_name: String(row[USER.last_name]),
        email: String(row[USER.email]),
        is_staff: row[USER.is_staff] === 1n,
        is_superuser: row[USER.is_superuser] === 1n,
      });
    },
  };
}
