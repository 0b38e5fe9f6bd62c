import { argon2Hasher } from './argon2.ts';
import { bcryptSha256Hasher } from './bcrypt-sha256.ts';
import { PasswordHasherError, type PasswordHasher } from './hasher.ts';
import { pbkdf2Hasher } from './pbkdf2.ts';
import { scryptHasher } from './scrypt.ts';

const PREFIX = 'django.contrib.auth.hashers.';

/** PBKDF2PasswordHasher.iterations in each release: the only hasher parameter that moves. */
const PBKDF2_ITERATIONS: readonly (readonly [number, number, number])[] = [
  [3, 1, 216_000],
  [3, 2, 260_000],
  [4, 0, 320_000],
  [4, 1, 390_000],
  [4, 2, 600_000],
  [5, 0, 720_000],
  [5, 1, 870_000],
  [5, 2, 1_000_000],
  [6, 0, 1_200_000],
  [6, 1, 1_500_000],
];

interface Version {
  major: number;
  minor: number;
}

function parseVersion(djangoVersion: string): Version {
  const match = /^(\d+)\.(\d+)/.exec(djangoVersion);
  if (!match) throw new PasswordHasherError(`djangoVersion must look like 5.2, got "${djangoVersion}"`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

function atLeast(version: Version, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * PBKDF2PasswordHasher.iterations for a Django version ("3.2", "5.2.17", …): 260,000 in 3.2, 600,000 in 4.2,
 * 1,000,000 in 5.2, 1,200,000 in 6.0, 1,500,000 in 6.1; a release newer than the table gets its last entry.
 */
export function pbkdf2Iterations(djangoVersion: string): number {
  const version = parseVersion(djangoVersion);
  let found = 216_000;
  for (const [major, minor, iterations] of PBKDF2_ITERATIONS) if (atLeast(version, major, minor)) found = iterations;
  return found;
}

/** Django's default PASSWORD_HASHERS for a version: ScryptPasswordHasher joined it in 4.0. */
export function defaultPasswordHashers(djangoVersion: string): string[] {
  const paths = ['PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'Argon2PasswordHasher', 'BCryptSHA256PasswordHasher'];
  if (atLeast(parseVersion(djangoVersion), 4, 0)) paths.push('ScryptPasswordHasher');
  return paths.map((name) => PREFIX + name);
}

/** The hasher a PASSWORD_HASHERS entry names, with that Django version's class attributes. */
export function hasherForPath(path: string, djangoVersion: string): PasswordHasher {
  const version = parseVersion(djangoVersion);
  const name = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : null;
  switch (name) {
    case 'PBKDF2PasswordHasher':
      return pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: pbkdf2Iterations(djangoVersion) });
    case 'PBKDF2SHA1PasswordHasher':
      return pbkdf2Hasher({ algorithm: 'pbkdf2_sha1', iterations: pbkdf2Iterations(djangoVersion) });
    case 'Argon2PasswordHasher':
      return argon2Hasher({ timeCost: 2, memoryCost: 102_400, parallelism: 8 });
    case 'BCryptSHA256PasswordHasher':
      return bcryptSha256Hasher({ rounds: 12 });
    case 'ScryptPasswordHasher':
      if (!atLeast(version, 4, 0)) break;
      return scryptHasher({ workFactor: 2 ** 14, blockSize: 8, parallelism: atLeast(version, 4, 2) ? 5 : 1 });
  }
  throw new PasswordHasherError(`PASSWORD_HASHERS entry "${path}" is not a hasher Django ${djangoVersion} ships that this library implements`);
}

/** What Django's hasher functions read from settings: PASSWORD_HASHERS, resolved, and the version's rules. */
export interface PasswordHashers {
  /** PASSWORD_HASHERS in order; the first is the preferred ("default") hasher. */
  readonly hashers: readonly PasswordHasher[];
  /**
   * Django 4.2.14+ (CVE-2024-39329) runs the default hasher once when the password cannot be checked
   * (unusable, unknown algorithm) so that costs as long as a wrong password; 3.2 does not.
   */
  readonly fakeRuntime: boolean;
}

/** Options of {@link passwordHashers}. */
export interface PasswordHashersOptions {
  /** DJANGO_VERSION: decides the default iterations and hashers. */
  djangoVersion: string;
  /**
   * PASSWORD_HASHERS: Django class paths, or hashers made here (a subclass with other parameters, e.g.
   * `pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 1000 })`). Django's default list when absent.
   */
  hashers?: readonly (string | PasswordHasher)[];
}

/** Resolves PASSWORD_HASHERS for a Django version, as django.contrib.auth.hashers.get_hashers does. */
export function passwordHashers(options: PasswordHashersOptions): PasswordHashers {
  const entries = options.hashers ?? defaultPasswordHashers(options.djangoVersion);
  if (entries.length === 0) throw new PasswordHasherError('PASSWORD_HASHERS must not be empty.');
  return {
    hashers: entries.map((entry) => (typeof entry === 'string' ? hasherForPath(entry, options.djangoVersion) : entry)),
    fakeRuntime: atLeast(parseVersion(options.djangoVersion), 4, 2),
  };
}
