import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionAuthHash } from '../../../src/django/auth-hash.ts';
import { decodeMemcachedValue, decodeRedisValue } from '../../../src/django/cache-value.ts';
import { checkPassword, defaultPasswordHashers, makePassword, pbkdf2Iterations } from '../../../src/django/hashers/index.ts';
import { decodeSessionData } from '../../../src/django/session-data.ts';
import { HASHER_VECTOR_FILES, hashersFor, loadHasherVectors } from '../../../../../test/helpers/hasher-vectors.ts';

for (const file of HASHER_VECTOR_FILES) {
  const vectors = loadHasherVectors(file);
  const version = vectors.django_version;

  describe(`Django ${version} password hashers, against its golden vectors`, () => {
    it('covers every hasher, both configurations, upgrades, login() and the cache pickles', () => {
      assert.ok(vectors.make_password.length >= 60, 'make_password cases');
      assert.ok(vectors.check_password.length >= 150, 'check_password cases');
      assert.ok(vectors.upgrades.length >= 4, 'upgrades');
      assert.ok(vectors.login.cases.length >= 5, 'login() cases');
      assert.ok(vectors.cache_pickles.length >= 1, 'cache pickles');
      const defaults = new Set(vectors.make_password.filter((c) => c.config === 'default').map((c) => c.hasher));
      assert.deepEqual([...defaults].sort(), vectors.configs.default.map((h) => h.algorithm).sort(), 'one default-parameter vector per hasher');
    });

    it('has the version\'s PBKDF2 iterations and PASSWORD_HASHERS', () => {
      assert.equal(pbkdf2Iterations(version), vectors.pbkdf2_default_iterations);
      assert.deepEqual(defaultPasswordHashers(version), vectors.configs.default.map((h) => h.path));
    });

    it('makes the same hash as make_password, byte for byte', async () => {
      for (const c of vectors.make_password) {
        const made = await makePassword(c.password, hashersFor(vectors, c.config), { salt: c.salt, hasher: c.hasher });
        assert.equal(made, c.encoded, `${c.config} ${c.hasher} ${JSON.stringify(c.password)} ${c.salt}`);
      }
    });

    it('gives check_password\'s verdict, and its setter\'s must_update', async () => {
      for (const c of vectors.check_password) {
        const check = await checkPassword(c.password, c.encoded, hashersFor(vectors, c.config));
        const name = `${c.config} ${c.name} ${c.encoded}`;
        assert.equal(check.valid, c.valid, name);
        assert.equal(check.valid && check.mustUpdate, c.setter_called, name);
        if (c.verify_password) assert.deepEqual([check.valid, check.mustUpdate], c.verify_password, name);
      }
    });

    it('upgrades a hash as AbstractBaseUser.check_password\'s setter does', async () => {
      for (const c of vectors.upgrades) {
        const hashers = hashersFor(vectors, c.config);
        const check = await checkPassword(c.password, c.stored, hashers);
        assert.equal(check.valid, c.valid, c.name);
        const saved = check.valid && check.mustUpdate ? await makePassword(c.password, hashers, { salt: c.new_salt }) : c.stored;
        assert.equal(saved, c.upgraded, c.name);
      }
    });

    it('reads the session login() wrote: the three keys, the auth hash of the stored password', () => {
      const settings = { secretKey: vectors.secret_key, secretKeyFallbacks: [], authenticationBackends: ['django.contrib.auth.backends.ModelBackend'], acceptLegacy: version.startsWith('3.'), sessionCookieAge: 1209600, maxSessionBytes: 1 << 20 };
      for (const c of vectors.login.cases) {
        assert.equal(c.session._auth_user_hash, sessionAuthHash(vectors.login.user.password, vectors.secret_key), c.name);
        assert.equal(c.session._auth_user_id, String(vectors.login.user.id), c.name);
        const decoded = decodeSessionData(c.session_data, settings);
        assert.ok(decoded.ok, c.name);
        assert.deepEqual(decoded.session, c.session, c.name);
        assert.equal(c.old_row_exists, false, `${c.name}: the pre-login row is gone`);
        assert.equal(c.session_key_is_new, true, `${c.name}: the key cycled`);
        assert.equal(c.vary, 'Cookie', c.name);
      }
    });

    it('reads back the pickles Django\'s cache backends write for that session', () => {
      for (const c of vectors.cache_pickles) {
        const bytes = Buffer.from(c.bytes, 'hex');
        const read = c.flags === null ? decodeRedisValue(bytes, { serializer: 'pickle', compressor: 'none' }, 1 << 20) : decodeMemcachedValue(bytes, c.flags, 1 << 20);
        assert.ok(read.ok, c.backend);
        assert.deepEqual({ ...read.session }, c.session, c.backend);
      }
    });
  });
}
