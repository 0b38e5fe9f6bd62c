// Django's database on each engine the service reads, for suites that run once per database: the tables
// from each engine's `migrate` fixture, and writes made as Django makes them (expire_date naive UTC text on
// MySQL and SQLite, as Django writes it with USE_TZ = True).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type Koa from 'koa';
import type * as mariadb from 'mariadb';
import pg from 'pg';
import { createApp } from '../../src/app.ts';
import { openDatabase, type DjangoDatabase } from '../../src/databases/open.ts';
import type { Provider } from 'django-session-bridge';
import { createLogger, type Logger } from '../../src/logger.ts';
import { VerdictCounters } from '../../src/metrics.ts';
import { testConfig } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { insertSession as insertPgSession, insertUser as insertPgUser, newSessionKey, userValues, type UserFields } from './django.ts';
import type { MariaDbServer } from './mariadb-server.ts';
import { tempDir } from './spawned.ts';

export const SQLITE_SCHEMA = new URL('../fixtures/django-3.2-schema.sqlite.sql', import.meta.url);

export interface UserRow extends UserFields {
  id?: number | bigint;
}

/** Django's database as a test writes to it (the service only ever reads). */
export interface DjangoDb {
  provider: Provider;
  /** The service's DATABASE_URL. */
  url: string;
  insertUser(fields: UserRow): Promise<number>;
  insertSession(sessionData: string, expireDate?: Date, key?: string): Promise<string>;
  /** A row exactly as Django stored it, expire_date in the database's own text. */
  insertRawSession(key: string, sessionData: string, expireDate: string): Promise<void>;
  updateUser(id: number, changes: { password?: string; isActive?: boolean }): Promise<void>;
  /** What Django's logout() does to the row: deletes it. */
  deleteSession(key: string): Promise<void>;
  /** One user, or every user. */
  deleteUsers(id?: number): Promise<void>;
  userPassword(id: number): Promise<string>;
  close(): Promise<void>;
}

const TWO_WEEKS = 14 * 24 * 3600 * 1000;

/** Django's text for a naive UTC datetime: "2031-02-03 04:05:06.789000". */
export function naiveUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}.${String(date.getUTCMilliseconds()).padStart(3, '0')}000`;
}

const USER_COLUMNS = 'password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined';

/** Django's database on PostgreSQL, on a test database made for it (dropped by close()). */
export async function postgresDjangoDbOn(database: TestDatabase): Promise<DjangoDb> {
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    provider: 'postgresql',
    url: database.url,
    async insertUser(fields) {
      if (fields.id === undefined) return insertPgUser(pool, fields);
      await pool.query(`INSERT INTO auth_user (id, ${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`, [fields.id.toString(), ...userValues(fields)]);
      return Number(fields.id);
    },
    insertSession: (data, expire, key) => insertPgSession(pool, data, expire, key),
    async insertRawSession(key, data, expire) {
      await pool.query('INSERT INTO django_session (session_key, session_data, expire_date) VALUES ($1, $2, $3)', [key, data, expire]);
    },
    async updateUser(id, { password, isActive }) {
      if (password !== undefined) await pool.query('UPDATE auth_user SET password = $1 WHERE id = $2', [password, id]);
      if (isActive !== undefined) await pool.query('UPDATE auth_user SET is_active = $1 WHERE id = $2', [isActive, id]);
    },
    async deleteSession(key) {
      await pool.query('DELETE FROM django_session WHERE session_key = $1', [key]);
    },
    async deleteUsers(id) {
      await (id === undefined ? pool.query('DELETE FROM auth_user') : pool.query('DELETE FROM auth_user WHERE id = $1', [id]));
    },
    async userPassword(id) {
      return (await pool.query<{ password: string }>('SELECT password FROM auth_user WHERE id = $1', [id])).rows[0]?.password ?? '';
    },
    async close() {
      await pool.end();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await database.drop();
    },
  };
}

export async function postgresDjangoDb(): Promise<DjangoDb> {
  return postgresDjangoDbOn(await createTestDatabase());
}

export async function mariadbDjangoDb(server: MariaDbServer): Promise<DjangoDb> {
  const name = `django_${randomBytes(5).toString('hex')}`;
  const url = await server.createDjangoDatabase(name);
  const pool: mariadb.Pool = server.admin;
  const table = `\`${name}\`.auth_user`;
  const insertRawSession = async (key: string, data: string, expire: string) => {
    await pool.query(`INSERT INTO \`${name}\`.django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)`, [key, data, expire]);
  };
  return {
    provider: 'mysql',
    url,
    async insertUser(fields) {
      const id = fields.id === undefined ? [] : [fields.id];
      const result = await pool.query<{ insertId: bigint }>(
        `INSERT INTO ${table} (${fields.id === undefined ? '' : 'id, '}${USER_COLUMNS}) VALUES (${fields.id === undefined ? '' : '?, '}?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))`,
        [...id, ...userValues(fields)],
      );
      return Number(fields.id ?? result.insertId);
    },
    async insertSession(data, expire = new Date(Date.now() + TWO_WEEKS), key = newSessionKey()) {
      await insertRawSession(key, data, naiveUtc(expire));
      return key;
    },
    insertRawSession,
    async updateUser(id, { password, isActive }) {
      if (password !== undefined) await pool.query(`UPDATE ${table} SET password = ? WHERE id = ?`, [password, id]);
      if (isActive !== undefined) await pool.query(`UPDATE ${table} SET is_active = ? WHERE id = ?`, [isActive, id]);
    },
    async deleteSession(key) {
      await pool.query(`DELETE FROM \`${name}\`.django_session WHERE session_key = ?`, [key]);
    },
    async deleteUsers(id) {
      await (id === undefined ? pool.query(`DELETE FROM ${table}`) : pool.query(`DELETE FROM ${table} WHERE id = ?`, [id]));
    },
    async userPassword(id) {
      const [row] = await pool.query<{ password: string }[]>(`SELECT password FROM ${table} WHERE id = ?`, [id]);
      return row?.password ?? '';
    },
    async close() {
      await pool.query(`DROP DATABASE \`${name}\``);
    },
  };
}

/** A Django SQLite file in a temp directory, in rollback-journal (Django's default) or WAL mode. */
export async function sqliteDjangoDb(journal: 'delete' | 'wal' = 'delete'): Promise<DjangoDb & { file: string; writer: Sqlite.Database }> {
  const dir = await tempDir('bridge-sqlite-');
  const file = join(dir, 'db.sqlite3');
  const writer = new Sqlite(file);
  writer.pragma(`journal_mode = ${journal}`);
  writer.exec(readFileSync(SQLITE_SCHEMA, 'utf8'));
  const insertRawSession = async (key: string, data: string, expire: string) => {
    writer.prepare('INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)').run(key, data, expire);
  };
  const bool = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value);
  return {
    provider: 'sqlite',
    url: `file:${file}`,
    file,
    writer,
    async insertUser(fields) {
      const values = [...(fields.id === undefined ? [] : [fields.id]), ...userValues(fields).map(bool), naiveUtc(new Date())];
      const result = writer
        .prepare(`INSERT INTO auth_user (${fields.id === undefined ? '' : 'id, '}${USER_COLUMNS}) VALUES (${values.map(() => '?').join(', ')})`)
        .run(...values);
      return Number(fields.id ?? result.lastInsertRowid);
    },
    async insertSession(data, expire = new Date(Date.now() + TWO_WEEKS), key = newSessionKey()) {
      await insertRawSession(key, data, naiveUtc(expire));
      return key;
    },
    insertRawSession,
    async updateUser(id, { password, isActive }) {
      if (password !== undefined) writer.prepare('UPDATE auth_user SET password = ? WHERE id = ?').run(password, id);
      if (isActive !== undefined) writer.prepare('UPDATE auth_user SET is_active = ? WHERE id = ?').run(Number(isActive), id);
    },
    async deleteSession(key) {
      writer.prepare('DELETE FROM django_session WHERE session_key = ?').run(key);
    },
    async deleteUsers(id) {
      if (id === undefined) writer.prepare('DELETE FROM auth_user').run();
      else writer.prepare('DELETE FROM auth_user WHERE id = ?').run(id);
    },
    async userPassword(id) {
      return (writer.prepare('SELECT password FROM auth_user WHERE id = ?').get(id) as { password: string } | undefined)?.password ?? '';
    },
    async close() {
      writer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface DatabaseApp {
  app: Koa;
  db: DjangoDatabase;
  counters: VerdictCounters;
  close(): Promise<void>;
}

/** The service on any of Django's databases, as server.ts builds it. */
export async function appOn(url: string, env: Record<string, string> = {}, logger: Logger = createLogger('silent')): Promise<DatabaseApp> {
  const config = testConfig(url, env);
  const db = await openDatabase({ url, poolMax: 4, timeoutMs: config.dbTimeoutMs });
  const counters = new VerdictCounters();
  return { app: createApp({ config, db, logger, counters }), db, counters, close: () => db.close() };
}
