import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionAuthHash } from '../../src/django/auth-hash.ts';
import { userLookup, verdictFor, type DjangoUser } from '../../src/django/get-user.ts';
import type { DjangoSettings } from '../../src/django/settings.ts';

const MODEL = 'django.contrib.auth.backends.ModelBackend';
const ALLOW_ALL = 'django.contrib.auth.backends.AllowAllUsersModelBackend';
const settings: DjangoSettings = {
  secretKey: 'current',
  secretKeyFallbacks: ['old'],
  authenticationBackends: [MODEL, ALLOW_ALL],
  acceptLegacy: false,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: 1_048_576,
};
const user: DjangoUser = {
  id: 7n, password: 'pbkdf2_sha256$1$s$h', isActive: true, username: 'alice', firstName: '', lastName: '', email: '', isStaff: false, isSuperuser: false,
};
const session = (hash: unknown, backend: unknown = MODEL) => ({ _auth_user_id: '7', _auth_user_backend: backend, _auth_user_hash: hash });

describe('userLookup: the first half of get_user()', () => {
  it('needs both the user id and the backend', () => {
    assert.deepEqual(userLookup({}, settings), { kind: 'anonymous', reason: 'anonymous' });
    assert.deepEqual(userLookup({ _auth_user_id: '7' }, settings), { kind: 'anonymous', reason: 'anonymous' });
    assert.deepEqual(userLookup({ _auth_user_backend: MODEL }, settings), { kind: 'anonymous', reason: 'anonymous' });
    assert.deepEqual(userLookup(session('h'), settings), { kind: 'lookup', userId: 7n, backend: MODEL });
  });

  it('refuses bad ids, unlisted backends, and a null id', () => {
    assert.deepEqual(userLookup({ ...session('h'), _auth_user_id: 'abc' }, settings), { kind: 'anonymous', reason: 'bad_user_id' });
    assert.deepEqual(userLookup(session('h', 'x.Backend'), settings), { kind: 'anonymous', reason: 'backend_not_allowed' });
    assert.deepEqual(userLookup(session('h', ['list']), settings), { kind: 'anonymous', reason: 'backend_not_allowed' });
    assert.deepEqual(userLookup({ ...session('h'), _auth_user_id: null }, settings), { kind: 'anonymous', reason: 'no_user' });
  });
});

describe('verdictFor: the second half of get_user()', () => {
  const good = sessionAuthHash(user.password, 'current');

  it('logs in with the current key\'s hash, or a fallback key\'s', () => {
    assert.equal(verdictFor(session(good), MODEL, user, settings).reason, 'logged_in');
    assert.equal(verdictFor(session(sessionAuthHash(user.password, 'old')), MODEL, user, settings).reason, 'logged_in_fallback_key');
  });

  it('accepts the SHA-1 hash only under 3.1/3.2 rules', () => {
    const sha1 = sessionAuthHash(user.password, 'current', 'sha1');
    assert.equal(verdictFor(session(sha1), MODEL, user, settings).reason, 'hash_mismatch');
    assert.equal(verdictFor(session(sha1), MODEL, user, { ...settings, acceptLegacy: true }).reason, 'logged_in_legacy_hash');
  });

  it('refuses a missing user, an inactive user (unless AllowAllUsers), and missing or wrong hashes', () => {
    assert.equal(verdictFor(session(good), MODEL, null, settings).reason, 'no_user');
    assert.equal(verdictFor(session(good), MODEL, { ...user, isActive: false }, settings).reason, 'inactive');
    assert.equal(verdictFor(session(good, ALLOW_ALL), ALLOW_ALL, { ...user, isActive: false }, settings).reason, 'logged_in');
    for (const hash of [undefined, '', null, 0, false, [], {}]) assert.equal(verdictFor(session(hash), MODEL, user, settings).reason, 'no_hash');
    for (const hash of [42, true, [good]]) assert.equal(verdictFor(session(hash), MODEL, user, settings).reason, 'hash_mismatch');
    assert.equal(verdictFor(session(good.toUpperCase()), MODEL, user, settings).reason, 'hash_mismatch');
    assert.equal(verdictFor(session(good), MODEL, { ...user, password: 'changed' }, settings).reason, 'hash_mismatch');
  });

  it('gives the user only when logged in', () => {
    assert.equal(verdictFor(session(good), MODEL, user, settings).user, user);
    assert.equal(verdictFor(session('x'), MODEL, user, settings).user, null);
  });
});
