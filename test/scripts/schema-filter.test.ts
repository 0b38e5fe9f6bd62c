import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepDjangoModels } from '../../scripts/schema-filter.mjs';

// The shape `db pull` prints for a site with AUTH_USER_MODEL = "accounts.User" and the admin installed.
const INTROSPECTED = `generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model accounts_user {
  id                             BigInt                           @id @default(autoincrement())
  password                       String                           @db.VarChar(128)
  accounts_user_groups           accounts_user_groups[]
  accounts_user_user_permissions accounts_user_user_permissions[]
  django_admin_log               django_admin_log[]
}

/// This model has constraints using non-default deferring rules.
model accounts_user_groups {
  id            Int           @id
  user_id       BigInt
  group_id      Int
  auth_group    auth_group    @relation(fields: [group_id], references: [id], map: "accounts_user_groups_group_id_fk_auth_group_id")
  accounts_user accounts_user @relation(fields: [user_id], references: [id], map: "accounts_user_groups_user_id_fk_accounts_user_id")
}

model accounts_user_user_permissions {
  id              Int             @id
  user_id         BigInt
  permission_id   Int
  auth_permission auth_permission @relation(fields: [permission_id], references: [id])
  accounts_user   accounts_user   @relation(fields: [user_id], references: [id])
}

model auth_group {
  id                     Int                      @id
  name                   String                   @unique @db.VarChar(150)
  accounts_user_groups   accounts_user_groups[]
  auth_group_permissions auth_group_permissions[]
}

model auth_group_permissions {
  id              Int             @id
  group_id        Int
  permission_id   Int
  auth_group      auth_group      @relation(fields: [group_id], references: [id])
  auth_permission auth_permission @relation(fields: [permission_id], references: [id])
}

model auth_permission {
  id                             Int                              @id
  content_type_id                Int
  codename                       String                           @db.VarChar(100)
  auth_group_permissions         auth_group_permissions[]
  accounts_user_user_permissions accounts_user_user_permissions[]
  django_content_type            django_content_type              @relation(fields: [content_type_id], references: [id])
}

model django_content_type {
  id               Int                @id
  app_label        String             @db.VarChar(100)
  auth_permission  auth_permission[]
  django_admin_log django_admin_log[]
}

model django_admin_log {
  id                  Int                  @id
  user_id             BigInt
  content_type_id     Int?
  accounts_user       accounts_user        @relation(fields: [user_id], references: [id])
  django_content_type django_content_type? @relation(fields: [content_type_id], references: [id])
}

model django_session {
  session_key  String   @id @db.VarChar(40)
  session_data String
  expire_date  DateTime @db.Timestamptz(6)
}
`;

function model(schema: string, name: string): string {
  return new RegExp(`model ${name} \\{[\\s\\S]*?\\n\\}`).exec(schema)?.[0] ?? '';
}

describe('keepDjangoModels', () => {
  const schema = keepDjangoModels(INTROSPECTED, 'accounts_user');

  it('keeps the generator, the datasource, the session, user and permission models, minus relations to dropped models', () => {
    assert.match(schema, /generator client \{/);
    assert.match(schema, /datasource db \{/);
    for (const name of ['django_session', 'auth_group', 'auth_group_permissions', 'auth_permission', 'django_content_type']) {
      assert.match(schema, new RegExp(`model ${name} \\{`), name);
    }
    assert.doesNotMatch(schema, /django_admin_log/);
  });

  it('maps the custom user table and its two many-to-many tables onto the auth_user models', () => {
    assert.match(model(schema, 'auth_user'), /^model auth_user \{\n[ \t]+id[ \t]+BigInt[\s\S]*\n[ \t]+auth_user_groups[ \t]+auth_user_groups\[\]\n[\s\S]*@@map\("accounts_user"\)\n\}$/);
    assert.match(model(schema, 'auth_user_groups'), /\n[ \t]+auth_user auth_user @relation\([\s\S]*@@map\("accounts_user_groups"\)/);
    assert.match(model(schema, 'auth_user_user_permissions'), /@@map\("accounts_user_user_permissions"\)/);
    assert.match(model(schema, 'auth_group'), /\n[ \t]+auth_user_groups[ \t]+auth_user_groups\[\]/);
    assert.doesNotMatch(schema, /\baccounts_user\w*\b(?![^"]*"\))/, 'no model is still called accounts_…');
  });

  it("leaves the database's constraint names as they are", () => {
    assert.match(schema, /map: "accounts_user_groups_user_id_fk_accounts_user_id"/);
  });

  it('gives the same schema again from a schema it wrote (Prisma keeps @@map on a later pull)', () => {
    assert.equal(keepDjangoModels(schema, 'accounts_user'), schema);
  });

  it('says what is missing', () => {
    assert.throws(() => keepDjangoModels(INTROSPECTED, 'auth_user'), /table auth_user not found/);
    assert.throws(() => keepDjangoModels(INTROSPECTED.replace('model django_session', 'model other'), 'accounts_user'), /django_session not found/);
    assert.throws(() => keepDjangoModels(INTROSPECTED.replace('model auth_permission', 'model other'), 'accounts_user'), /auth_permission not found: is 'django.contrib.auth' installed/);
    assert.throws(() => keepDjangoModels(INTROSPECTED.replace('model accounts_user_groups', 'model other'), 'accounts_user'), /accounts_user_groups not found/);
  });
});
