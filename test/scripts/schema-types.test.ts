import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDjangoTypes } from '../../scripts/schema-types.mjs';

// As Prisma's SQLite introspection reads a Django custom user model with a BigAutoField key.
const INTROSPECTED = `model accounts_user {
  is_active Unsupported("bool")
  id        Int     @id @default(autoincrement())
  accounts_user_groups accounts_user_groups[]
}

model accounts_user_groups {
  id            Int           @id @default(autoincrement())
  user_id       BigInt
  group_id      Int
  auth_group    auth_group    @relation(fields: [group_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
  accounts_user accounts_user @relation(fields: [user_id], references: [id], onDelete: NoAction, onUpdate: NoAction)
}

model auth_group {
  id                   Int                    @id @default(autoincrement())
  accounts_user_groups accounts_user_groups[]
}
`;

describe('readDjangoTypes', () => {
  const read = readDjangoTypes(INTROSPECTED);
  const model = (name: string) => new RegExp(`model ${name} \\{[\\s\\S]*?\\n\\}`).exec(read)?.[0] ?? '';

  it('reads Django\'s SQLite bool columns as Boolean', () => {
    assert.match(model('accounts_user'), /is_active Boolean/);
  });

  it('reads a key that bigint columns refer to (SQLite\'s 64-bit rowid, declared integer) as BigInt', () => {
    assert.match(model('accounts_user'), /id {8}BigInt {5}@id/);
  });

  it('leaves every other column as introspected', () => {
    assert.equal(model('auth_group'), /model auth_group \{[\s\S]*?\n\}/.exec(INTROSPECTED)?.[0]);
    assert.match(model('accounts_user_groups'), /^ {2}id {12}Int /m);
    assert.match(model('accounts_user_groups'), /group_id {6}Int/);
    assert.equal(readDjangoTypes(read), read, 'and reading twice changes nothing more');
  });
});
