import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HashAlgorithm = 'sha1' | 'sha256';

/** django.utils.crypto.salted_hmac: HMAC keyed with hash(key_salt + secret). */
export function saltedHmac(keySalt: string, value: string | Buffer, secret: string, algorithm: HashAlgorithm): Buffer {
  const key = createHash(algorithm).update(keySalt + secret, 'utf8').digest();
  return createHmac(algorithm, key).update(value).digest();
}

/** django.utils.crypto.constant_time_compare, on the strings' UTF-8 bytes. */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; comparing right with itself keeps the time independent of `a`.
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}
