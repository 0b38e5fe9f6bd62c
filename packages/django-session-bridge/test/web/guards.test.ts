import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BridgeUser } from '../../src/auth/user.ts';
import { NotAuthenticatedError, PermissionDeniedError } from '../../src/web/errors.ts';
import { decideGuard, hasPermissions, isActiveStaff, isAuthenticated, type GuardRequest } from '../../src/web/guards.ts';

const granted = (perms: string[], fields: Partial<BridgeUser> = {}) => ({
  isActive: true, isStaff: false, hasPerms: async (wanted: readonly string[]) => wanted.every((p) => perms.includes(p)), ...fields,
}) as BridgeUser;
const on = (user: BridgeUser | null, path = '/p/'): GuardRequest => ({ path, fullPath: `${path}?x=1`, secure: false, host: 'testserver', user });
const isApi = (path: string) => path.startsWith('/api/');

describe('the guards\' decisions, as Django\'s decorators make them', () => {
  it('login_required: the log-in redirect with next, or 401 on an API path', async () => {
    assert.deepEqual(await decideGuard(isAuthenticated, on(null), {}), { pass: false, redirect: '/accounts/login/?next=/p/%3Fx%3D1' });
    assert.deepEqual(await decideGuard(isAuthenticated, on(null), {}, '/login/'), { pass: false, redirect: '/login/?next=/p/%3Fx%3D1' });
    assert.deepEqual(await decideGuard(isAuthenticated, on(granted([])), {}), { pass: true });
    const api = await decideGuard(isAuthenticated, on(null, '/api/x'), { isApi });
    assert.ok(!api.pass && 'error' in api && api.error instanceof NotAuthenticatedError && api.error.status === 401);
  });

  it('staff_member_required: active staff only', async () => {
    assert.equal((await decideGuard(isActiveStaff, on(granted([], { isStaff: true })), {})).pass, true);
    assert.equal((await decideGuard(isActiveStaff, on(granted([], { isStaff: true, isActive: false })), {})).pass, false);
    const api = await decideGuard(isActiveStaff, on(granted([]), '/api/x'), { isApi });
    assert.ok(!api.pass && 'error' in api && api.error instanceof PermissionDeniedError && api.error.statusCode === 403);
  });

  it('permission_required: every permission, else the redirect, or 403 with raise_exception (anonymous too)', async () => {
    const both = hasPermissions(['polls.add_choice', 'polls.view_choice']);
    assert.equal((await decideGuard(both, on(granted(['polls.add_choice', 'polls.view_choice'])), {})).pass, true);
    assert.ok('redirect' in (await decideGuard(both, on(granted(['polls.add_choice'])), {})));
    const raising = hasPermissions('polls.add_choice', true);
    for (const user of [granted([]), null]) {
      const outcome = await decideGuard(raising, on(user), {});
      assert.ok(!outcome.pass && 'error' in outcome && outcome.error instanceof PermissionDeniedError);
    }
  });
});
