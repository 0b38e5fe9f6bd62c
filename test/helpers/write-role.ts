import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { withClient } from '../../src/dev/pg-client.ts';
import type { TestDatabase } from './database.ts';
import type { MariaDbServer } from './mariadb-server.ts';

/** The statements the docs ship for DATABASE_WRITE_URL: PostgreSQL's, and MySQL's in its closing comment. */
export const WRITE_ROLE = new URL('../../docs/write-role.sql', import.meta.url);

export interface WriteRole {
  /** DATABASE_WRITE_URL: the database as this role. */
  url: string;
  /** Drops the role, once its database is gone (a role is the cluster's, and its grants hold it until then). */
  drop(): Promise<void>;
}

const credentials = () => ({ name: `bridge_w_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') });

/** A role made by exactly docs/write-role.sql on a test database, with a random name and password. */
export async function createPostgresWriteRole(database: TestDatabase): Promise<WriteRole> {
  const { name, password } = credentials();
  const statements = (await readFile(WRITE_ROLE, 'utf8'))
    .replace(/^--.*$/gm, '')
    .replaceAll(":'password'", `'${password}'`)
    .replaceAll('django_writer', `"${name}"`)
    .replaceAll('ON DATABASE django ', `ON DATABASE "${database.name}" `);
  await withClient(database.url, (client) => client.query(statements));
  const url = new URL(database.url);
  url.username = name;
  url.password = password;
  return { url: url.toString(), drop: () => withClient(database.adminUrl, (client) => client.query(`DROP ROLE IF EXISTS "${name}"`)).then(() => undefined) };
}

/** docs/write-role.sql's MySQL / MariaDB statements: the indented lines of its closing comment, uncommented. */
export function mysqlWriteStatements(sql: string): string {
  const start = sql.indexOf('-- MySQL / MariaDB');
  if (start < 0) throw new Error('docs/write-role.sql has no "-- MySQL / MariaDB" section');
  const statements = sql.slice(start).split('\n').filter((line) => line.startsWith('--   ')).map((line) => line.slice('--   '.length));
  if (statements.length === 0) throw new Error('docs/write-role.sql\'s MySQL / MariaDB section has no statements');
  return statements.join('\n');
}

/**
 * A user made by exactly the MySQL statements of docs/write-role.sql on `database`, with a random name and
 * password; its URL. It goes with the throwaway server.
 */
export async function createMysqlWriteUser(server: MariaDbServer, database: string): Promise<string> {
  const { name, password } = credentials();
  const statements = mysqlWriteStatements(await readFile(WRITE_ROLE, 'utf8'))
    .replaceAll('django_writer', name)
    .replaceAll("'<password>'", `'${password}'`)
    .replaceAll(' django.', ` \`${database}\`.`);
  await server.admin.query(statements);
  return server.url(database, name, password);
}
