import type * as mariadb from 'mariadb';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/mysql/client.ts';
import { naiveExpiry } from './naive-expiry.ts';
import { toDjangoUser, USER_SELECT } from './prisma-store.ts';
import type { SessionStore } from './store.ts';
import { describeModels, fitsPrimaryKey } from './user-model.ts';

function ident(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

const SESSION = Prisma.Django_sessionScalarFieldEnum;
const USER = Prisma.Auth_userScalarFieldEnum;
const USER_FIELDS = Object.keys(USER_SELECT) as (keyof typeof USER_SELECT)[];

/** What the mariadb driver returns: tinyint(1) as a number, int as a number, bigint as a BigInt, DATETIME as text. */
type Row = Record<string, string | number | bigint | null>;

/**
 * The hot-path store on MySQL/MariaDB: the same two primary-key lookups as the Prisma store, as server-side
 * prepared statements (the driver caches them per connection) on the pool under Prisma's adapter. Table and
 * column names come from the generated MySQL client, so `npm run db:pull` keeps both stores on one schema.
 */
export function createMariaDbStore(pool: mariadb.Pool, prisma: PrismaClient): SessionStore {
  const model = describeModels(prisma);
  const sessionSql =
    `SELECT ${ident(SESSION.session_data)}, ${ident(SESSION.expire_date)} FROM ${ident(model.sessionTable)} ` +
    `WHERE ${ident(SESSION.session_key)} = ?`;
  const userSql = `SELECT ${USER_FIELDS.map((field) => ident(USER[field])).join(', ')} FROM ${ident(model.userTable)} WHERE ${ident(USER.id)} = ?`;

  return {
    async findSession(sessionKey) {
      const [row] = (await pool.execute<Row[]>(sessionSql, [sessionKey])) as Row[];
      return row ? { sessionData: String(row[SESSION.session_data]), expireDate: naiveExpiry(row[SESSION.expire_date]) } : null;
    },
    async findUser(id) {
      if (!fitsPrimaryKey(id, model)) return null;
      const [row] = (await pool.execute<Row[]>(userSql, [id])) as Row[];
      if (!row) return null;
      return toDjangoUser({
        id: row[USER.id] as number | bigint,
        password: String(row[USER.password]),
        is_active: Number(row[USER.is_active]) === 1,
        username: String(row[USER.username]),
        first_name: String(row[USER.first_name]),
        last_name: String(row[USER.last_name]),
        email: String(row[USER.email]),
        is_staff: Number(row[USER.is_staff]) === 1,
        is_superuser: Number(row[USER.is_superuser]) === 1,
      });
    },
  };
}
