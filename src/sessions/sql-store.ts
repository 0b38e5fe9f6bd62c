import type pg from 'pg';
import type { django_session, PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { toDjangoUser, USER_SELECT, type UserRow } from './prisma-store.ts';
import { reachesPostgresDirectly } from '../direct-connection.ts';
import type { SessionStore } from './store.ts';
import { describeModels, fitsPrimaryKey } from './user-model.ts';

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SESSION = Prisma.Django_sessionScalarFieldEnum;
const USER = Prisma.Auth_userScalarFieldEnum;
const USER_COLUMNS = (Object.keys(USER_SELECT) as (keyof typeof USER_SELECT)[]).map((field) => ident(USER[field]));

type SessionColumns = Pick<django_session, 'session_data' | 'expire_date'>;

/**
 * The hot-path store: the same two primary-key lookups as the Prisma store, sent straight to the pg pool
 * under Prisma's adapter. Prisma Client costs ~400 µs of CPU per findUnique; this costs ~80 µs. Table and
 * column names come from the generated client, so `npm run db:pull` keeps both stores on the same schema.
 * Named prepared statements (parsed and planned once per connection) only where the connection is known to
 * end at PostgreSQL itself; through PgBouncer or any other pooler, unnamed ones: a named statement lives on one
 * server connection, which a transaction pooler does not keep for us. `npm run bench:statements` measures the
 * difference.
 */
export function createSqlStore(pool: pg.Pool, prisma: PrismaClient): SessionStore {
  const model = describeModels(prisma);
  const sessionSql =
    `SELECT ${ident(SESSION.session_data)}, ${ident(SESSION.expire_date)} FROM ${ident(model.sessionTable)} ` +
    `WHERE ${ident(SESSION.session_key)} = $1`;
  const userSql = `SELECT ${USER_COLUMNS.join(', ')} FROM ${ident(model.userTable)} WHERE ${ident(USER.id)} = $1`;

  const statement = async (name: string, text: string, value: string): Promise<pg.QueryConfig> =>
    (await reachesPostgresDirectly(pool)) ? { name, text, values: [value] } : { text, values: [value] };

  return {
    async findSession(sessionKey) {
      const result = await pool.query<SessionColumns>(await statement('bridge_find_session', sessionSql, sessionKey));
      const row = result.rows[0];
      return row ? { sessionData: row.session_data, expireDate: row.expire_date } : null;
    },
    async findUser(id) {
      if (!fitsPrimaryKey(id, model)) return null;
      // pg returns int8 as a string; BigInt() in toDjangoUser reads both.
      const result = await pool.query<UserRow>(await statement('bridge_find_user', userSql, id.toString()));
      const row = result.rows[0];
      return row ? toDjangoUser(row) : null;
    },
  };
}
