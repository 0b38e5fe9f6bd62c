import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { describe, it } from 'node:test';
import { makePassword, pbkdf2Iterations, randomSalt } from '../../src/dev/make-password.ts';

// Written by real Django with
//   python3 -c "from django.conf import settings; settings.configure();
//     from django.contrib.auth.hashers import make_password;
//     print(make_password(PASSWORD, salt=SALT, hasher='pbkdf2_sha256'))"
// under Debian's python3-django 3.2.25 and Django 5.2.17.
const DJANGO_HASHES = [
  { django: '3.2', password: 'correct horse battery staple', salt: 'VEnhl4hIBflDU4NFBiSO5b', encoded: 'pbkdf2_sha256$260000$VEnhl4hIBflDU4NFBiSO5b$vz3jviFNunGhcLTeSw4Wv6v6DMKq7l2fGEVUH75bGQg=' },
  { django: '3.2', password: 'pässwörd ✓', salt: 'Xq0vtVz9YyR1nHhW2bKcLm', encoded: 'pbkdf2_sha256$260000$Xq0vtVz9YyR1nHhW2bKcLm$ldbQMTiD/TEtq5OTi7o/Z6QaJ4k0kI6cEO6qw+w10Qs=' },
  { django: '5.2', password: 'correct horse battery staple', salt: 'VEnhl4hIBflDU4NFBiSO5b', encoded: 'pbkdf2_sha256$1000000$VEnhl4hIBflDU4NFBiSO5b$82OVBErduD3LyDE2ZVmBUEn2YlSNwYHCltpN6spVgq0=' },
];

// make_password('demo') from the same two Djangos, random salts: what the demo's users must verify against.
const DJANGO_DEMO_HASHES = [
  'pbkdf2_sha256$260000$EFYkV4QcQk9Af0c1yBw0H0$qyikl5zrCBhaw+rz/j6MJklXdNk7Hi8aPi83E6HYJ9Y=',
  'pbkdf2_sha256$1000000$HQcKZ9oezVWyzymZB0t4gc$CCSLzOHmv6n7Jgt8X7+5nanGvDA9YfozhwJiRe84plY=',
];

/** PBKDF2PasswordHasher.verify, to read hashes back. */
function checkPassword(password: string, encoded: string): boolean {
  const [algorithm, iterations, salt, hash] = encoded.split('$');
  assert.equal(algorithm, 'pbkdf2_sha256');
  return pbkdf2Sync(password, salt as string, Number(iterations), 32, 'sha256').toString('base64') === hash;
}

describe('makePassword (django.contrib.auth.hashers.make_password, pbkdf2_sha256)', () => {
  it('writes what real Django writes for the same password, salt and iterations', () => {
    for (const vector of DJANGO_HASHES) {
      assert.equal(makePassword(vector.password, pbkdf2Iterations(vector.django), vector.salt), vector.encoded, `${vector.django}: ${vector.password}`);
    }
  });

  it('reads the way real Django\'s demo-password hashes verify', () => {
    for (const encoded of DJANGO_DEMO_HASHES) {
      assert.ok(checkPassword('demo', encoded));
      assert.ok(!checkPassword('Demo', encoded));
    }
  });

  it('picks a fresh 22-character alphanumeric salt, like BasePasswordHasher.salt()', () => {
    const salts = new Set(Array.from({ length: 50 }, () => randomSalt()));
    assert.equal(salts.size, 50);
    for (const salt of salts) assert.match(salt, /^[A-Za-z0-9]{22}$/);
    const encoded = makePassword('demo', 1000);
    assert.match(encoded, /^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    assert.ok(checkPassword('demo', encoded));
  });

  it('uses the iteration count of the configured Django release', () => {
    assert.equal(pbkdf2Iterations('3.1'), 216_000);
    assert.equal(pbkdf2Iterations('3.2'), 260_000);
    assert.equal(pbkdf2Iterations('3.2.25'), 260_000);
    assert.equal(pbkdf2Iterations('4.2'), 600_000);
    assert.equal(pbkdf2Iterations('5.2'), 1_000_000);
    assert.equal(pbkdf2Iterations('6.0'), 1_000_000);
    assert.equal(pbkdf2Iterations(undefined), 1_000_000);
  });
});
