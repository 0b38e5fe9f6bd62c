import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database } from '../../src/db.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { createPermissionStore } from '../../src/sessions/permissions-store.ts';
import { permissionsFromReplica } from 'django-session-bridge';
import type { Replica } from 'django-session-bridge/postgresql';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPermissionRows, loadPermissionVectors, rowsFor } from '../helpers/permission-vectors.ts';

const vectors = loadPermissionVectors('permissions-3.2.json');

/**
 * Two real databases: the "replica" holds Django's permission rows, the "primary" none, so every answer
 * shows which side gave it.
 */
describe('permissions read where the session was: the replica while usable, else the primary', () => {
  let replicaSide: TestDatabase;
  let primarySide: TestDatabase;
  const opened: Database[] = [];
  let usable = true;

  function open(url: string, timeoutMs = 2000): Database {
    const db = createDatabase({ url, poolMax: 2, timeoutMs, onIdleError: () => {} });
    opened.push(db);
    return db;
  }

  function replicaOn(db: Database): Replica {
    return {
      db,
      // Generous: this test is about which side answers, not about the replica's share of the deadline.
      timeoutMs: 10_000,
      maxLagMs: undefined,
      state: () => ({ up: usable, standby: false, lagMs: null }),
      usable: () => usable,
      close: () => db.close(),
    };
  }

  before(async () => {
    [replicaSide, primarySide] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await insertPermissionRows(open(replicaSide.url).pool, vectors, 'unused');
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await Promise.all([replicaSide.drop(), primarySide.drop()]);
  });

  // The user with the most permission rows of their own, so that the two sides' answers differ.
  const user = () => {
    const ids = vectors.rows.auth_user.map((row) => row.id);
    const most = ids.reduce((best, id) => (rowsFor(vectors, id, 'own').permissions.length > rowsFor(vectors, best, 'own').permissions.length ? id : best));
    return BigInt(most);
  };
  const sortedPermissions = (rows: { permissions: readonly { codename: string }[] }) => rows.permissions.map((row) => row.codename).sort();

  it('answers from the replica while it is usable', async () => {
    const replicaDb = open(replicaSide.url);
    const load = permissionsFromReplica(createPermissionStore(open(primarySide.url).prisma), createPermissionStore(replicaDb.prisma), replicaOn(replicaDb));
    usable = true;
    const id = user();
    const expected = sortedPermissions(rowsFor(vectors, Number(id), 'own'));
    assert.ok(expected.length > 0);
    assert.deepEqual(sortedPermissions(await load(id, 'own')), expected);
  });

  it('answers from the primary while the replica is not usable (lag over the bound, or down)', async () => {
    const replicaDb = open(replicaSide.url);
    const load = permissionsFromReplica(createPermissionStore(open(primarySide.url).prisma), createPermissionStore(replicaDb.prisma), replicaOn(replicaDb));
    usable = false;
    assert.deepEqual(await load(user(), 'own'), { groups: [], permissions: [] });
  });

  it('answers from the primary when the replica fails, never an error', async () => {
    const down = open(`postgresql://postgres@127.0.0.1:${await freePort()}/none`, 500);
    const load = permissionsFromReplica(createPermissionStore(open(primarySide.url).prisma), createPermissionStore(down.prisma), replicaOn(down));
    usable = true;
    assert.deepEqual(await load(user(), 'own'), { groups: [], permissions: [] });
  });
});
