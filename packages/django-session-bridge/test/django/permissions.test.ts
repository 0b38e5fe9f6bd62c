import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  grantedPermissions,
  hasModulePerms,
  hasPerm,
  hasPerms,
  NO_PERMISSIONS,
  permissionScope,
  pythonSorted,
  type GrantedPermissions,
  type PermissionUser,
} from '../../src/django/permissions.ts';
import { loadPermissionVectors, PERMISSION_VECTOR_FILES, rowsFor, vectorUser } from '../../../../test/helpers/permission-vectors.ts';

const MODEL = 'django.contrib.auth.backends.ModelBackend';
const active: PermissionUser = { isActive: true, isSuperuser: false };
const superuser: PermissionUser = { isActive: true, isSuperuser: true };
const inactive: PermissionUser = { isActive: false, isSuperuser: false };

function granted(...names: string[]): GrantedPermissions {
  const set = new Set(names);
  return { user: set, group: new Set(), all: set };
}

for (const file of PERMISSION_VECTOR_FILES) {
  const vectors = loadPermissionVectors(file);
  describe(`permission rules against Django ${vectors.django_version}'s answers`, () => {
    it(`answers all ${vectors.cases.length} users × backend settings exactly as Django`, () => {
      for (const c of vectors.cases) {
        const row = vectorUser(vectors, c.username);
        const user = { isActive: row.is_active, isSuperuser: row.is_superuser };
        const scope = permissionScope(user, c.authentication_backends);
        const rows = rowsFor(vectors, row.id, scope === 'every' ? 'every' : 'own');
        const perms = scope === 'none' ? NO_PERMISSIONS : grantedPermissions(rows);
        const where = `${c.username} with ${c.authentication_backends.join(', ')}`;
        assert.deepEqual(pythonSorted(perms.all), c.answers.get_all_permissions, `get_all_permissions, ${where}`);
        assert.deepEqual(pythonSorted(perms.user), c.answers.get_user_permissions, `get_user_permissions, ${where}`);
        assert.deepEqual(pythonSorted(perms.group), c.answers.get_group_permissions, `get_group_permissions, ${where}`);
        for (const [perm, answer] of Object.entries(c.answers.has_perm)) assert.equal(hasPerm(user, perms, perm), answer, `has_perm(${perm}), ${where}`);
        for (const { perms: list, answer } of c.answers.has_perms) assert.equal(hasPerms(user, perms, list), answer, `has_perms(${list}), ${where}`);
        for (const [label, answer] of Object.entries(c.answers.has_module_perms)) {
          assert.equal(hasModulePerms(user, perms, label), answer, `has_module_perms(${label}), ${where}`);
        }
        assert.deepEqual(pythonSorted(rows.groups), c.answers.groups, `groups, ${where}`);
      }
    });
  });
}

describe('permissionScope', () => {
  it('reads every permission for an active superuser, the own ones otherwise, nothing for an inactive user', () => {
    assert.equal(permissionScope(superuser, [MODEL]), 'every');
    assert.equal(permissionScope(active, [MODEL]), 'own');
    assert.equal(permissionScope(inactive, [MODEL]), 'none');
    assert.equal(permissionScope({ isActive: false, isSuperuser: true }, [MODEL]), 'none');
  });

  it('counts ModelBackend and its subclasses only', () => {
    for (const backend of ['AllowAllUsersModelBackend', 'RemoteUserBackend', 'AllowAllUsersRemoteUserBackend']) {
      assert.equal(permissionScope(active, [`django.contrib.auth.backends.${backend}`]), 'own', backend);
    }
    assert.equal(permissionScope(active, ['django.contrib.auth.backends.BaseBackend', 'myapp.backends.TokenBackend']), 'none');
    assert.equal(permissionScope(superuser, []), 'none');
  });
});

describe('grantedPermissions', () => {
  it('names permissions app_label.codename and counts `every` rows as both sources', () => {
    const perms = grantedPermissions({
      groups: [],
      permissions: [
        { source: 'user', appLabel: 'blog', codename: 'add_post' },
        { source: 'group', appLabel: 'blog', codename: 'add_post' },
        { source: 'group', appLabel: 'shop', codename: 'view_order' },
        { source: 'every', appLabel: 'a.b', codename: 'c.d' },
      ],
    });
    assert.deepEqual([...perms.user].sort(), ['a.b.c.d', 'blog.add_post']);
    assert.deepEqual([...perms.group].sort(), ['a.b.c.d', 'blog.add_post', 'shop.view_order']);
    assert.deepEqual([...perms.all].sort(), ['a.b.c.d', 'blog.add_post', 'shop.view_order']);
  });
});

describe('hasPerm, hasPerms, hasModulePerms', () => {
  it('an active superuser has every permission, even one that does not exist', () => {
    assert.equal(hasPerm(superuser, NO_PERMISSIONS, 'no.such'), true);
    assert.equal(hasPerms(superuser, NO_PERMISSIONS, ['a.b', 'c.d']), true);
    assert.equal(hasModulePerms(superuser, NO_PERMISSIONS, 'anything'), true);
  });

  it('an inactive user has none, whatever was granted; an empty list is still all granted', () => {
    const perms = granted('blog.add_post');
    assert.equal(hasPerm(inactive, perms, 'blog.add_post'), false);
    assert.equal(hasModulePerms(inactive, perms, 'blog'), false);
    assert.equal(hasPerms(inactive, perms, []), true);
    assert.equal(hasPerms(inactive, perms, ['blog.add_post']), false);
  });

  it('an app label is the part before the first dot', () => {
    const perms = granted('dotted.app.view_thing');
    assert.equal(hasModulePerms(active, perms, 'dotted'), true);
    assert.equal(hasModulePerms(active, perms, 'dotted.app'), false);
  });

  it('refuses a string where a list belongs, as Django 5.2 does', () => {
    assert.throws(() => hasPerms(active, NO_PERMISSIONS, 'blog.add_post' as unknown as string[]), /perm_list must be an iterable/);
  });
});

describe('pythonSorted', () => {
  it('orders by code point, as Python does (an astral character after U+FFFD)', () => {
    assert.deepEqual(pythonSorted(['\u{1F511}', '\uFFFD', 'b', 'a', 'ab']), ['a', 'ab', 'b', '\uFFFD', '\u{1F511}']);
    assert.deepEqual(['\u{1F511}', '\uFFFD'].sort(), ['\u{1F511}', '\uFFFD'], 'JavaScript would not');
  });
});
