import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { withClient } from '../../src/dev/pg-client.ts';
import { createDjangoDatabase, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/database.ts';

const COMMITTED = readFileSync(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
const CUSTOM_USER_SQL = new URL('../fixtures/django-3.2-custom-user.sql', import.meta.url);

function pull(url: string, env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'db-pull-'));
  const output = join(dir, 'schema.prisma');
  try {
    const result = spawnSync(process.execPath, ['scripts/db-pull.mjs', '--output', output], {
      env: { ...process.env, DATABASE_URL: url, ...env },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    return readFileSync(output, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs the project's `npm run db:pull` path on this machine: the Wasm schema engine when the native
// engine could not be downloaded, Prisma's own `db pull` when it was.
describe('npm run db:pull', () => {
  let database: TestDatabase;
  const extra: string[] = [];

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
    for (const name of extra) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await database.drop();
  });

  it('writes exactly the committed prisma/schema.prisma from a database Django 3.2 migrated', () => {
    assert.equal(pull(database.url), COMMITTED);
  });

  it('writes the same schema from a database Django 5.2 migrated (identity columns)', async () => {
    const name = `${database.name}_dj52`;
    extra.push(name);
    await createDjangoDatabase(database.adminUrl, name, new URL('../fixtures/django-5.2-schema.sql', import.meta.url));
    assert.equal(pull(databaseUrl(database.adminUrl, name)), COMMITTED);
  });

  it('maps a custom AUTH_USER_MODEL (accounts.MyUser, bigint key) and its join tables onto the auth_user models', async () => {
    const name = `${database.name}_custom`;
    extra.push(name);
    await createDjangoDatabase(database.adminUrl, name);
    await withClient(databaseUrl(database.adminUrl, name), (client) => client.query(readFileSync(CUSTOM_USER_SQL, 'utf8')));
    const schema = pull(databaseUrl(database.adminUrl, name), { DJANGO_USER_TABLE: 'accounts_myuser' });
    const model = (modelName: string) => new RegExp(`model ${modelName} \\{[\\s\\S]*?\\n\\}`).exec(schema)?.[0] ?? '';
    assert.match(model('auth_user'), /id\s+BigInt\s+@id/);
    assert.match(model('auth_user'), /@@map\("accounts_myuser"\)/);
    assert.match(model('auth_user_groups'), /myuser_id\s+BigInt[\s\S]*@@map\("accounts_myuser_groups"\)/);
    assert.match(model('auth_user_user_permissions'), /@@map\("accounts_myuser_user_permissions"\)/);
    assert.match(schema, /model django_session \{/);
    assert.equal((schema.match(/^model /gm) ?? []).length, 8, 'the session, the user and the six permission models');
  });

  it('explains a database Django has not migrated', () => {
    const result = spawnSync(process.execPath, ['scripts/db-pull.mjs', '--output', join(tmpdir(), 'never.prisma')], {
      env: { ...process.env, DATABASE_URL: database.url, DJANGO_USER_TABLE: 'no_such_table' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /table no_such_table not found: has Django's migrate run/);
  });
});
