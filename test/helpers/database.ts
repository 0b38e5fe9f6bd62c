import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { withClient } from '../../src/dev/pg-client.ts';

export const SCHEMA_FIXTURE = new URL('../fixtures/django-3.2-schema.sql', import.meta.url);

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a database holding Django's schema (from `manage.py migrate`) and returns its name. */
export async function createDjangoDatabase(adminUrl: string, name: string, fixture: URL = SCHEMA_FIXTURE): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  await withClient(databaseUrl(adminUrl, name), (client) => client.query(readFileSync(fixture, 'utf8')));
}

/** Once per run: the template every test file's database is cloned from. */
export async function prepareTemplate(adminUrl: string): Promise<string> {
  const name = `bridge_template_${process.pid}`;
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}"`));
  await createDjangoDatabase(adminUrl, name);
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  adminUrl: string;
  drop(): Promise<void>;
}

/** A fresh database with Django's tables, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!adminUrl || !template) throw new Error('run the tests with `npm test` (it sets TEST_DATABASE_URL up)');
  const name = `bridge_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: databaseUrl(adminUrl, name),
    name,
    adminUrl,
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
