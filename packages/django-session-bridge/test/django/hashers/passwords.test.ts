import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPassword,
  defaultPasswordHashers,
  identifyHasher,
  isPasswordUsable,
  makePassword,
  makeUnusablePassword,
  passwordHashers,
  PasswordHasherError,
  pbkdf2Hasher,
  pbkdf2Iterations,
  scryptHasher,
} from '../../../src/django/hashers/index.ts';

const fast = passwordHashers({
  djangoVersion: '5.2',
  hashers: [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 1000 }), pbkdf2Hasher({ algorithm: 'pbkdf2_sha1', iterations: 1000 }), scryptHasher({ workFactor: 1024, blockSize: 8, parallelism: 1 })],
});

describe('the version tables', () => {
  it('gives each release its PBKDF2 iterations', () => {
    assert.equal(pbkdf2Iterations('3.2'), 260_000);
    assert.equal(pbkdf2Iterations('4.2.20'), 600_000);
    assert.equal(pbkdf2Iterations('5.2'), 1_000_000);
    assert.equal(pbkdf2Iterations('6.0'), 1_200_000);
    assert.equal(pbkdf2Iterations('6.1'), 1_500_000);
  });

  it('adds scrypt to the default PASSWORD_HASHERS from 4.0, and refuses it by name before', () => {
    assert.equal(defaultPasswordHashers('3.2').length, 4);
    assert.equal(defaultPasswordHashers('5.2').at(-1), 'django.contrib.auth.hashers.ScryptPasswordHasher');
    assert.throws(() => passwordHashers({ djangoVersion: '3.2', hashers: ['django.contrib.auth.hashers.ScryptPasswordHasher'] }), PasswordHasherError);
  });

  it('runs the fake hash for uncheckable passwords from 4.2 only (CVE-2024-39329)', () => {
    assert.equal(passwordHashers({ djangoVersion: '3.2' }).fakeRuntime, false);
    assert.equal(passwordHashers({ djangoVersion: '4.2' }).fakeRuntime, true);
  });
});

describe('unusable passwords', () => {
  it('are "!" and 40 letters and digits, never usable, never valid', async () => {
    const unusable = makeUnusablePassword();
    assert.match(unusable, /^![A-Za-z0-9]{40}$/);
    assert.notEqual(makeUnusablePassword(), unusable);
    assert.equal(isPasswordUsable(unusable), false);
    assert.equal(isPasswordUsable(null), true);
    assert.match(await makePassword(null, fast), /^![A-Za-z0-9]{40}$/);
    assert.deepEqual(await checkPassword('x', unusable, fast), { valid: false, mustUpdate: false });
  });
});

describe('identifyHasher', () => {
  it('names the hasher by the first field, with Django\'s error for an unknown one', () => {
    assert.equal(identifyHasher('pbkdf2_sha1$1$s$h', fast).algorithm, 'pbkdf2_sha1');
    assert.throws(() => identifyHasher('md5$s$h', fast), { message: "Unknown password hashing algorithm 'md5'. Did you specify it in the PASSWORD_HASHERS setting?" });
    assert.throws(() => identifyHasher('0123456789abcdef0123456789abcdef', fast), /unsalted_md5/);
  });
});

describe('makePassword and checkPassword', () => {
  it('round-trip with each hasher, and refuse a wrong password', async () => {
    for (const hasher of ['pbkdf2_sha256', 'pbkdf2_sha1', 'scrypt']) {
      const encoded = await makePassword('correct horse', fast, { hasher });
      assert.ok(encoded.startsWith(`${hasher}$`));
      assert.equal((await checkPassword('correct horse', encoded, fast)).valid, true);
      assert.equal((await checkPassword('correct hors', encoded, fast)).valid, false);
    }
  });

  it('asks for an upgrade when the hasher is not the first, or its parameters or salt are old', async () => {
    assert.deepEqual(await checkPassword('pw', await makePassword('pw', fast, { hasher: 'pbkdf2_sha1' }), fast), { valid: true, mustUpdate: true });
    assert.deepEqual(await checkPassword('pw', await makePassword('pw', fast), fast), { valid: true, mustUpdate: false });
    const older = passwordHashers({ djangoVersion: '5.2', hashers: [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 500 })] });
    assert.deepEqual(await checkPassword('pw', await makePassword('pw', older), fast), { valid: true, mustUpdate: true });
    assert.deepEqual(await checkPassword('pw', await makePassword('pw', fast, { salt: 'shortsalt' }), fast), { valid: true, mustUpdate: true });
  });

  it('refuses a salt with "$" as Django does', async () => {
    await assert.rejects(makePassword('pw', fast, { salt: 'a$b' }), PasswordHasherError);
  });

  it('answers false, never throws, for malformed hashes', async () => {
    const malformed = ['pbkdf2_sha256', 'pbkdf2_sha256$', 'pbkdf2_sha256$x$s$h', 'pbkdf2_sha256$+1$s$h', 'scrypt$1$s$h', `pbkdf2_sha256$1$${'s'.repeat(5000)}$h`, 'pbkdf2_sha256$999999999999$s$h'];
    for (const encoded of malformed) assert.deepEqual((await checkPassword('pw', encoded, fast)).valid, false, encoded);
  });

  it('never blocks the event loop, even at 1,000,000 iterations', async () => {
    const hashers = passwordHashers({ djangoVersion: '5.2' });
    const encoded = await makePassword('pw', hashers, { salt: 'abcdefghijklmnopqrstuv' });
    let worstLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstLag = Math.max(worstLag, now - last - 5);
      last = now;
    }, 5);
    const started = performance.now();
    const checks = await Promise.all([checkPassword('pw', encoded, hashers), checkPassword('wrong', encoded, hashers)]);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    assert.deepEqual(checks.map((check) => check.valid), [true, false]);
    // The hashes took far longer than any pause of the loop: they ran on the thread pool.
    assert.ok(worstLag < elapsed / 2, `worst event-loop lag ${worstLag.toFixed(0)} ms during ${elapsed.toFixed(0)} ms of hashing`);
  });
});
