import { pbkdf2Sync, randomInt } from 'node:crypto';

// PBKDF2PasswordHasher.iterations by Django release; a newer Django reads older counts (and upgrades them).
const PBKDF2_ITERATIONS: readonly [version: string, iterations: number][] = [
  ['3.1', 216_000],
  ['3.2', 260_000],
  ['4.0', 320_000],
  ['4.1', 390_000],
  ['4.2', 600_000],
  ['5.0', 720_000],
  ['5.1', 870_000],
  ['5.2', 1_000_000],
];

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// BasePasswordHasher.salt(): ceil(128 bits of entropy / log2(62)) characters.
const SALT_LENGTH = 22;

function releaseNumber(version: string): number {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major * 1000 + minor;
}

/** The iteration count Django `version` ("3.2", "5.2.1") writes; the newest known for later or unnamed releases. */
export function pbkdf2Iterations(version: string | undefined): number {
  const wanted = version ? releaseNumber(version) : Infinity;
  const known = PBKDF2_ITERATIONS.filter(([release]) => releaseNumber(release) <= wanted);
  return (known.at(-1) ?? (PBKDF2_ITERATIONS[0] as [string, number]))[1];
}

/** django.utils.crypto.get_random_string(22), the salt make_password picks. */
export function randomSalt(): string {
  return Array.from({ length: SALT_LENGTH }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');
}

/**
 * django.contrib.auth.hashers.make_password(password, salt, 'pbkdf2_sha256'): what Django stores in
 * auth_user.password, so the demo users can also log in through a real Django site's login form.
 */
export function makePassword(password: string, iterations: number, salt: string = randomSalt()): string {
  const hash = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iterations, 32, 'sha256');
  return `pbkdf2_sha256$${iterations}$${salt}$${hash.toString('base64')}`;
}
