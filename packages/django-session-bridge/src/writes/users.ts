import type pg from 'pg';
import type { DjangoUser } from '../django/index.ts';
import { pgIdent } from '../stores/sql-store.ts';
import { fitsPrimaryKey } from '../stores/tables.ts';
import { toDjangoUser, USER_COLUMNS, type UserRow } from '../stores/user-row.ts';

/** UserManager.get_by_natural_key: the row whose USERNAME_FIELD equals `username`, read on the read-only pool. */
export async function userByNaturalKey(pool: pg.Pool, userTable: string, usernameField: string, username: string): Promise<DjangoUser | null> {
  const sql = `SELECT ${USER_COLUMNS.map(pgIdent).join(', ')} FROM ${pgIdent(userTable)} WHERE ${pgIdent(usernameField)} = $1`;
  const result = await pool.query<UserRow>(sql, [username]);
  // A USERNAME_FIELD is unique; more than one row is MultipleObjectsReturned in Django, a failure here too.
  if (result.rows.length > 1) throw new Error(`${userTable}.${usernameField} is not unique`);
  const row = result.rows[0];
  return row ? toDjangoUser(row) : null;
}

/** The user row for a primary key, on the read-only pool. */
export async function userById(pool: pg.Pool, userTable: string, id: bigint): Promise<DjangoUser | null> {
  if (!fitsPrimaryKey(id)) return null;
  const result = await pool.query<UserRow>(`SELECT ${USER_COLUMNS.map(pgIdent).join(', ')} FROM ${pgIdent(userTable)} WHERE id = $1::int8`, [id.toString()]);
  const row = result.rows[0];
  return row ? toDjangoUser(row) : null;
}

/** user.save(update_fields=['password']), through the write role. */
export async function savePassword(client: pg.Pool | pg.PoolClient, userTable: string, id: bigint, encoded: string): Promise<void> {
  await client.query(`UPDATE ${pgIdent(userTable)} SET password = $1 WHERE id = $2::int8`, [encoded, id.toString()]);
}

/** django.contrib.auth.models.update_last_login, through the write role. */
export async function saveLastLogin(client: pg.PoolClient, userTable: string, id: bigint, now: Date): Promise<void> {
  await client.query(`UPDATE ${pgIdent(userTable)} SET last_login = $1 WHERE id = $2::int8`, [now, id.toString()]);
}
