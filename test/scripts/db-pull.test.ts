import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openMariaDb as createMariaDbDatabase } from '../../src/databases/mariadb.ts';
import { nativeSchemaEngine } from '../../scripts/prisma.mjs';
import { withClient } from '../../src/dev/pg-client.ts';
import { createDjangoDatabase, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/database.ts';
import { sqliteDjangoDb } from '../helpers/django-databases.ts';
import { missingMariaDb, startMariaDb, type MariaDbServer } from '../helpers/mariadb-server.ts';
import { assertSchemaMatchesTables } from '../helpers/mysql-columns.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';

const committed = (provider: string) => readFileSync(new URL(`../../prisma/${provider}/schema.prisma`, import.meta.url), 'utf8');

function run(url: string, output: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-pull.mjs', '--output', output], {
    env: { ...process.env, DATABASE_URL: url, ...env },
    encoding: 'utf8',
  });
}
const CUSTOM_USER_SQL = new URL('../fixtures/django-3.2-custom-user.sql', import.meta.url);

function pull(url: string, env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'db-pull-'));
  const output = join(dir, 'schema.prisma');
  try {
    const result = run(url, output, env);
    assert.equal(result.status, 0, result.stderr);
    return readFileSync(output, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runs the project's `npm run db:pull` path on this machine: the Wasm schema engine when the native
// engine could not be downloaded, Prisma's own `db pull` when it was.
describe('npm run db:pull on PostgreSQL', () => {
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

  it('writes exactly the committed prisma/postgresql/schema.prisma from a database Django 3.2 migrated', () => {
    assert.equal(pull(database.url), committed('postgresql'));
  });

  it('writes the same schema from a database Django 5.2 migrated (identity columns)', async () => {
    const name = `${database.name}_dj52`;
    extra.push(name);
    await createDjangoDatabase(database.adminUrl, name, new URL('../fixtures/django-5.2-schema.sql', import.meta.url));
    assert.equal(pull(databaseUrl(database.adminUrl, name)), committed('postgresql'));
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
    const result = run(database.url, join(tmpdir(), 'never.prisma'), { DJANGO_USER_TABLE: 'no_such_table' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /table no_such_table not found: has Django's migrate run/);
  });
});

describe('npm run db:pull on SQLite', () => {
  it('writes exactly the committed prisma/sqlite/schema.prisma from a file Django 3.2 migrated, Django\'s bool columns as Boolean', async () => {
    const django = await sqliteDjangoDb('delete');
    try {
      const schema = pull(django.url);
      assert.equal(schema, committed('sqlite'));
      assert.match(schema, /is_active\s+Boolean/);
      assert.doesNotMatch(schema, /Unsupported/);
    } finally {
      await django.close();
    }
  });

  it('never creates a database file that is not there', () => {
    const missing = join(tmpdir(), `no-such-${process.pid}.sqlite3`);
    const result = run(`file:${missing}`, join(tmpdir(), 'never.prisma'));
    assert.equal(result.status, 1);
    assert.throws(() => readFileSync(missing));
  });
});

packagedSuite('npm run db:pull on MariaDB', missingMariaDb(), () => {
  let server: MariaDbServer;
  let url: string;
  before(async () => {
    server = await startMariaDb();
    url = await server.createDjangoDatabase('django_pull');
  });
  after(() => server?.close());

  if (nativeSchemaEngine() !== null) {
    it('writes exactly the committed prisma/mysql/schema.prisma from a database Django 3.2 migrated', () => {
      assert.equal(pull(url), committed('mysql'));
    });
  } else {
    it('offline, says why it cannot introspect MySQL (Prisma\'s Wasm engine has no MySQL connector)', () => {
      const result = run(url, join(tmpdir(), 'never.prisma'));
      assert.equal(result.status, 1);
      assert.match(result.stderr, /Wasm schema engine cannot introspect MySQL\/MariaDB/);
    });
  }

  it('the committed MySQL schema has every column of Django\'s tables, with their exact types and nullability', async () => {
    const db = createMariaDbDatabase({ url, poolMax: 1, timeoutMs: 2000 });
    try {
      await assertSchemaMatchesTables(committed('mysql'), db.pool);
    } finally {
      await db.close();
    }
  });
});
