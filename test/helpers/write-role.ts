import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { withClient } from '../../src/dev/pg-client.ts';
import type { TestDatabase } from './database.ts';

/** The statements the docs ship for a PostgreSQL DATABASE_WRITE_URL (MySQL's: mariadb-server.ts's createWriteUser). */
export const WRITE_ROLE = new URL('../../docs/write-role.sql', import.meta.url);

export interface WriteRole {
  /** DATABASE_WRITE_URL: the database as this role. */
  url: string;
  /** Drops the role, once its database is gone (a role is the cluster's, and its grants hold it until then). */
  drop(): Promise<void>;
}

/** A role made by exactly docs/write-role.sql on a test database, with a random name and password. */
export async function createPostgresWriteRole(database: TestDatabase): Promise<WriteRole> {
  const name = `bridge_w_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
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
