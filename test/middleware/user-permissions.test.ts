import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabase, type Database } from '../../src/db.ts';
import { DatabaseUnavailableError } from '../../src/errors.ts';
import { VerdictCounters } from '../../src/metrics.ts';
import { DjangoRequestUser, publicUser, type UserPermissions } from 'django-session-bridge';
import { createPermissionStore } from '../../src/sessions/permissions-store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertPermissionRows, loadPermissionVectors, PERMISSION_VECTOR_FILES, vectorDjangoUser } from '../helpers/permission-vectors.ts';
import { logQueries, type QueryLog } from '../helpers/query-count.ts';

const MODEL = ['django.contrib.auth.backends.ModelBackend'];
const vectors = loadPermissionVectors(PERMISSION_VECTOR_FILES[0] as string);

describe('permission methods on a real database with Django’s rows', () => {
  let database: TestDatabase;
  let db: Database;
  let queries: QueryLog;
  let counters: VerdictCounters;

  function methodsFor(username: string, backends = MODEL): UserPermissions {
    return new DjangoRequestUser(vectorDjangoUser(vectors, username), { load: createPermissionStore(db.prisma), backends, timeoutMs: 10_000, onUnavailable: () => counters.countDbError() });
  }

  before(async () => {
    database = await createTestDatabase();
    db = createDatabase({ url: database.url, poolMax: 4, timeoutMs: 2000 });
    await insertPermissionRows(db.pool, vectors, 'unused');
    queries = logQueries(db.pool);
    counters = new VerdictCounters();
  });
  after(async () => {
    await db.close();
    await database.drop();
  });

  for (const file of PERMISSION_VECTOR_FILES) {
    const { cases, django_version: version } = loadPermissionVectors(file);
    it(`answers Django ${version}'s ${cases.length} cases with at most one query per user`, async () => {
      for (const c of cases) {
        queries.reset();
        const user = methodsFor(c.username, c.authentication_backends);
        const where = `${c.username} with ${c.authentication_backends.join(', ')}`;
        assert.deepEqual(await user.getAllPermissions(), c.answers.get_all_permissions, where);
        assert.deepEqual(await user.getUserPermissions(), c.answers.get_user_permissions, where);
        assert.deepEqual(await user.getGroupPermissions(), c.answers.get_group_permissions, where);
        for (const [perm, answer] of Object.entries(c.answers.has_perm)) assert.equal(await user.hasPerm(perm), answer, `has_perm(${perm}), ${where}`);
        for (const { perms, answer } of c.answers.has_perms) assert.equal(await user.hasPerms(perms), answer, `has_perms(${perms}), ${where}`);
        for (const [label, answer] of Object.entries(c.answers.has_module_perms)) assert.equal(await user.hasModulePerms(label), answer, `has_module_perms(${label}), ${where}`);
        assert.deepEqual(await user.groups(), c.answers.groups, where);
        assert.equal(queries.texts.length, 1, where);
      }
    });
  }

  it('reads nothing until a method is called', () => {
    queries.reset();
    methodsFor('both');
    assert.deepEqual(queries.texts, []);
  });

  it('reads groups and permissions in one query, shared by concurrent calls', async () => {
    queries.reset();
    const user = methodsFor('both');
    const [perm, groups, all] = await Promise.all([user.hasPerm('blog.add_post'), user.groups(), user.getAllPermissions()]);
    assert.deepEqual([perm, groups, all.length], [true, ['Editors', 'Reviewers'], 5]);
    assert.equal(queries.texts.length, 1);
    assert.match(queries.texts[0] as string, /UNION ALL/);
  });

  it("asks nothing for what Django answers without its tables: an active superuser's checks, an inactive user's permissions", async () => {
    queries.reset();
    const superuser = methodsFor('superuser');
    assert.equal(await superuser.hasPerm('any.thing'), true);
    assert.equal(await superuser.hasPerms(['a.b', 'c.d']), true);
    assert.equal(await superuser.hasModulePerms('nothing'), true);
    const inactive = methodsFor('inactive_with_perms');
    assert.equal(await inactive.hasPerm('blog.view_post'), false);
    assert.deepEqual(await inactive.getAllPermissions(), []);
    const noBackend = methodsFor('both', ['django.contrib.auth.backends.BaseBackend']);
    assert.equal(await noBackend.hasPerm('blog.add_post'), false);
    assert.deepEqual(queries.texts, []);
    assert.deepEqual(await inactive.groups(), ['Reviewers'], 'groups are still read');
    assert.equal(queries.texts.length, 1);
  });

  it('stays out of JSON and object spreads', () => {
    const djangoUser = vectorDjangoUser(vectors, 'both');
    const plain = publicUser(djangoUser);
    const user = methodsFor('both');
    assert.equal(JSON.stringify(user), JSON.stringify(plain));
    assert.deepEqual({ ...user }, plain);
    assert.equal(typeof user.hasPerm, 'function');
  });

  it('a database that does not answer is a DatabaseUnavailableError (a 503), counted, never "no permission"', async () => {
    const down = createDatabase({ url: 'postgresql://nobody@127.0.0.1:1/none', poolMax: 1, timeoutMs: 500 });
    try {
      const errors = new VerdictCounters();
      const user = new DjangoRequestUser(vectorDjangoUser(vectors, 'both'), { load: createPermissionStore(down.prisma), backends: MODEL, timeoutMs: 500, onUnavailable: () => errors.countDbError() });
      await assert.rejects(user.hasPerm('blog.add_post'), DatabaseUnavailableError);
      await assert.rejects(user.groups(), DatabaseUnavailableError, 'the failure is kept for the request');
      assert.equal(errors.snapshot().dbErrors, 1);
    } finally {
      await down.close();
    }
  });
});
