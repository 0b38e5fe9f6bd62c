import { splitMax } from './fields.ts';
import { PasswordHasherError, type PasswordHasher } from './hasher.ts';
import { getRandomString } from './random.ts';
import type { PasswordHashers } from './registry.ts';

/** UNUSABLE_PASSWORD_PREFIX: never the start of a valid encoded hash. */
export const UNUSABLE_PASSWORD_PREFIX = '!';
/** UNUSABLE_PASSWORD_SUFFIX_LENGTH. */
export const UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;

/** check_password's verdict: `valid`, and `mustUpdate`, on which Django's setter re-hashes and saves. */
export interface PasswordCheck {
  valid: boolean;
  /** Only acted on when valid: the preferred hasher differs, or its must_update says the hash is old. */
  mustUpdate: boolean;
}

/** is_password_usable: false for what set_unusable_password() stored. */
export function isPasswordUsable(encoded: string | null): boolean {
  return encoded === null || !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

/** make_password(None): `!` and 40 random letters and digits. */
export function makeUnusablePassword(): string {
  return UNUSABLE_PASSWORD_PREFIX + getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH);
}

/** get_hasher(algorithm): the last configured hasher of that name, as get_hashers_by_algorithm keeps it. */
function hasherByAlgorithm(algorithm: string, hashers: PasswordHashers): PasswordHasher {
  const found = hashers.hashers.findLast((hasher) => hasher.algorithm === algorithm);
  if (found === undefined) {
    throw new PasswordHasherError(`Unknown password hashing algorithm '${algorithm}'. Did you specify it in the PASSWORD_HASHERS setting?`);
  }
  return found;
}

/** get_hasher('default'): the first of PASSWORD_HASHERS. */
function preferredHasher(hashers: PasswordHashers): PasswordHasher {
  const [first] = hashers.hashers;
  if (first === undefined) throw new PasswordHasherError('PASSWORD_HASHERS must not be empty.');
  return first;
}

/** identify_hasher: the configured hasher for an encoded password; throws PasswordHasherError (ValueError). */
export function identifyHasher(encoded: string, hashers: PasswordHashers): PasswordHasher {
  let algorithm: string;
  if ((encoded.length === 32 && !encoded.includes('$')) || (encoded.length === 37 && encoded.startsWith('md5$$'))) {
    algorithm = 'unsalted_md5';
  } else if (encoded.length === 46 && encoded.startsWith('sha1$$')) {
    algorithm = 'unsalted_sha1';
  } else {
    algorithm = splitMax(encoded, '$', 1)[0] ?? '';
  }
  return hasherByAlgorithm(algorithm, hashers);
}

/** Options of {@link makePassword}. */
export interface MakePasswordOptions {
  /** A salt of the hasher's own form; a fresh one from the hasher when absent, as Django's `salt or hasher.salt()`. */
  salt?: string;
  /** An algorithm name (get_hasher); the preferred hasher when absent. */
  hasher?: string;
}

/** make_password(password, salt, hasher); null makes an unusable password. */
export async function makePassword(password: string | null, hashers: PasswordHashers, options: MakePasswordOptions = {}): Promise<string> {
  if (password === null) return makeUnusablePassword();
  const hasher = options.hasher === undefined ? preferredHasher(hashers) : hasherByAlgorithm(options.hasher, hashers);
  return hasher.encode(password, options.salt || hasher.salt());
}

/**
 * verify_password (check_password without its setter): whether `password` matches, and whether Django's
 * setter would re-hash it with the preferred hasher (valid and mustUpdate). A wrong password against an old
 * hash runs the hasher's harden_runtime; on Django 4.2+, one that cannot be checked runs the preferred
 * hasher once, so neither answers faster than a wrong password against a current hash.
 */
export async function checkPassword(password: string | null, encoded: string, hashers: PasswordHashers): Promise<PasswordCheck> {
  let hasher: PasswordHasher | null = null;
  if (password !== null && isPasswordUsable(encoded)) {
    try {
      hasher = identifyHasher(encoded, hashers);
    } catch (error) {
      if (!(error instanceof PasswordHasherError)) throw error;
    }
  }
  if (hasher === null || password === null) {
    if (hashers.fakeRuntime) await makePassword(getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH), hashers);
    return { valid: false, mustUpdate: false };
  }
  const preferred = preferredHasher(hashers);
  const hasherChanged = hasher.algorithm !== preferred.algorithm;
  const mustUpdate = hasherChanged || preferred.mustUpdate(encoded);
  const valid = await hasher.verify(password, encoded);
  if (!valid && !hasherChanged && mustUpdate) await hasher.hardenRuntime(password, encoded);
  return { valid, mustUpdate };
}
