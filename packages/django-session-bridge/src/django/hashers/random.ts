import { randomInt } from 'node:crypto';

/** django.utils.crypto.RANDOM_STRING_CHARS. */
export const RANDOM_STRING_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** django.utils.crypto.get_random_string: `length` characters drawn uniformly with a CSPRNG. */
export function getRandomString(length: number, allowedChars: string = RANDOM_STRING_CHARS): string {
  let out = '';
  for (let i = 0; i < length; i++) out += allowedChars[randomInt(allowedChars.length)];
  return out;
}

/** BasePasswordHasher.salt_entropy: Django 3.2 and later ask 128 bits of each salt. */
export const SALT_ENTROPY = 128;

/** BasePasswordHasher.salt(): the fewest RANDOM_STRING_CHARS carrying SALT_ENTROPY bits (22). */
export function entropySalt(): string {
  return getRandomString(Math.ceil(SALT_ENTROPY / Math.log2(RANDOM_STRING_CHARS.length)));
}

/** django.contrib.auth.hashers.must_update_salt. */
export function mustUpdateSalt(salt: string, expectedEntropy: number = SALT_ENTROPY): boolean {
  return salt.length * Math.log2(RANDOM_STRING_CHARS.length) < expectedEntropy;
}
