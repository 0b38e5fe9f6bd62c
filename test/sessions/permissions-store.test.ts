import { describePermissionTables } from 'django-session-bridge/prisma';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PrismaPg } from '@prisma/adapter-pg';
import { createDatabase, type Database } from '../../src/db.ts';
import type { PermissionRows } from 'django-session-bridge/django';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { LoadPermissions } from 'django-session-bridge';
import { createPermissionStore } from '../../src/sessions/permissions-store.ts';
import { createSqlPermissionStore } from 'django-session-bridge';
import { withClient } from '../../src/dev/pg-client.ts';
import { createDjangoDatabase, createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/database.ts';
import { generateClientFor, scratchClientDir } from '../helpers/generated-client.ts';
import { insertPermissionRows, loadPermissionVectors, PERMISSION_VECTOR_FILES, rowsFor, type PermissionVectors } from '../helpers/permission-vectors.ts';

const CUSTOM_USER_SQL = readFileSync(new URL('../fixtures/django-3.2-custom-user.sql', import.meta.url), 'utf8');

function sorted(rows: PermissionRows): PermissionRows {
  const key = (row: PermissionRows['permissions'][number]) => `${row.source} ${row.appLabel} ${row.codename}`;
  return { groups: [...rows.groups].sort(), permissions: [...rows.permissions].sort((a, b) => key(a).localeCompare(key(b))) };
}

/** Both loaders, as SESSION_STORE picks them: Prisma's $queryRaw and pg named statements. */
function loaders(db: Database, prisma: PrismaClient = db.prisma): [string, LoadPermissions][] {
  return [
    ['prisma', createPermissionStore(prisma)],
    ['sql', createSqlPermissionStore(db.pool, describePermissionTables(prisma))],
  ];
}

function expectSameRows(load: LoadPermissions, vectors: PermissionVectors): Promise<void>[] {
  return vectors.rows.auth_user.flatMap((user) =>
    (['own', 'every'] as const).map(async (scope) => {
      assert.deepEqual(sorted(await load(BigInt(user.id), scope)), sorted(rowsFor(vectors, user.id, scope)), `${user.username}, ${scope}`);
    }),
  );
}

// Django's rows, loaded into the schema Django's own migrate wrote, read back by the store: exactly the
// rows (and the names) ModelBackend's queries see.
for (const file of PERMISSION_VECTOR_FILES) {
  const vectors = loadPermissionVectors(file);
  const version = vectors.django_version.split('.').slice(0, 2).join('.');

  describe(`permissions store on a database Django ${version} migrated`, () => {
    let base: TestDatabase;
    let url: string;
    let db: Database;
    before(async () => {
      base = await createTestDatabase();
      url = databaseUrl(base.adminUrl, `${base.name}_perms`);
      await createDjangoDatabase(base.adminUrl, `${base.name}_perms`, new URL(`../fixtures/django-${version}-schema.sql`, import.meta.url));
      db = createDatabase({ url, poolMax: 2, timeoutMs: 2000 });
      await insertPermissionRows(db.pool, vectors, 'unused');
    });
    after(async () => {
      await db.close();
      await withClient(base.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${base.name}_perms" WITH (FORCE)`));
      await base.drop();
    });

    it("reads each user's groups and permissions, and every permission, as Django's queries do (both loaders)", async () => {
      for (const [, load] of loaders(db)) await Promise.all(expectSameRows(load, vectors));
    });

    it('reads nothing for a user who does not exist', async () => {
      for (const [kind, load] of loaders(db)) assert.deepEqual(await load(999_999n, 'own'), { groups: [], permissions: [] }, kind);
    });
  });
}

describe('permissions store with a custom AUTH_USER_MODEL (accounts.MyUser, bigint key, myuser_id columns)', () => {
  const vectors = loadPermissionVectors(PERMISSION_VECTOR_FILES[0] as string);
  const scratch = scratchClientDir();
  let database: TestDatabase;
  let db: Database;
  let prisma: PrismaClient;
  let schema: string;
  before(async () => {
    database = await createTestDatabase();
    db = createDatabase({ url: database.url, poolMax: 2, timeoutMs: 2000 });
    await db.pool.query(CUSTOM_USER_SQL);
    await insertPermissionRows(db.pool, vectors, 'unused', {
      user: 'accounts_myuser',
      groups: 'accounts_myuser_groups',
      userPermissions: 'accounts_myuser_user_permissions',
      userColumn: 'myuser_id',
    });
    const generated = await generateClientFor(database.url, 'accounts_myuser', scratch);
    schema = generated.schema;
    prisma = new generated.PrismaClient({ adapter: new PrismaPg(db.pool) });
  });
  after(async () => {
    await prisma?.$disconnect();
    await db?.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('db:pull maps the join tables onto auth_user_groups and auth_user_user_permissions', () => {
    assert.match(schema, /model auth_user_groups \{[^}]*\bmyuser_id\s+BigInt[^}]*@@map\("accounts_myuser_groups"\)/);
    assert.match(schema, /model auth_user_user_permissions \{[^}]*@@map\("accounts_myuser_user_permissions"\)/);
    assert.match(schema, /model auth_user \{[^}]*@@map\("accounts_myuser"\)/);
  });

  it("reads each user's groups and permissions through the custom tables (both loaders)", async () => {
    for (const [, load] of loaders(db, prisma)) await Promise.all(expectSameRows(load, vectors));
  });

  it('finds the groups of a user whose key is beyond the int range', async () => {
    const id = 2n ** 40n;
    await db.pool.query(
      `INSERT INTO accounts_myuser (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       VALUES ($1, 'unused', false, 'big', '', '', '', false, true, now())`,
      [id.toString()],
    );
    await db.pool.query("INSERT INTO accounts_myuser_groups (id, myuser_id, group_id) SELECT 1000, $1, id FROM auth_group WHERE name = 'Editors'", [id.toString()]);
    for (const [kind, load] of loaders(db, prisma)) {
      const rows = await load(id, 'own');
      assert.deepEqual(rows.groups, ['Editors'], kind);
      assert.deepEqual(rows.permissions.map((row) => `${row.appLabel}.${row.codename}`).sort(), ['blog.add_post', 'blog.change_post'], kind);
    }
  });
});
