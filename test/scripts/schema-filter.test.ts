import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepDjangoModels } from '../../scripts/schema-filter.mjs';

const INTROSPECTED = `generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

/// This model has constraints using non-default deferring rules.
model auth_user_groups {
  id        Int       @id
  auth_user auth_user @relation(fields: [user_id], references: [id])
  user_id   Int
}

model accounts_user {
  id               BigInt             @id @default(autoincrement())
  password         String             @db.VarChar(128)
  auth_user_groups auth_user_groups[]
}

model django_session {
  session_key  String   @id @db.VarChar(40)
  session_data String
  expire_date  DateTime @db.Timestamptz(6)
}
`;

describe('keepDjangoModels', () => {
  it('keeps the generator, the datasource, the session and the user model, minus relations to dropped models', () => {
    const schema = keepDjangoModels(INTROSPECTED, 'accounts_user');
    assert.doesNotMatch(schema, /auth_user_groups/);
    assert.doesNotMatch(schema, /non-default deferring/);
    assert.match(schema, /generator client \{/);
    assert.match(schema, /datasource db \{/);
    assert.match(schema, /model django_session \{/);
    assert.match(schema, /model auth_user \{\n\s+id\s+BigInt[\s\S]*@@map\("accounts_user"\)\n\}/);
  });

  it('finds a user model already mapped by an earlier pull', () => {
    const mapped = keepDjangoModels(keepDjangoModels(INTROSPECTED, 'accounts_user'), 'accounts_user');
    assert.equal((mapped.match(/@@map/g) ?? []).length, 1);
  });

  it('says what is missing', () => {
    assert.throws(() => keepDjangoModels(INTROSPECTED, 'auth_user'), /table auth_user not found/);
    assert.throws(() => keepDjangoModels(INTROSPECTED.replace('model django_session', 'model other'), 'accounts_user'), /django_session not found/);
  });
});
