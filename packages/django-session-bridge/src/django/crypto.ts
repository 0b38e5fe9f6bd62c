import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The digests salted_hmac uses: SHA-256 (Django ≥ 3.1) or SHA-1 (legacy). */
export type HashAlgorithm = 'sha1' | 'sha256';

// The derived keys depend only on the configured secrets and Django's fixed salts, so a handful of them
// serve every request; the cap only guards against callers that pass many different secrets.
const derivedKeys = new Map<string, Buffer>();
const MAX_DERIVED_KEYS = 64;

function derivedKey(keySalt: string, secret: string, algorithm: HashAlgorithm): Buffer {
  const id = `${algorithm}\0${keySalt}\0${secret}`;
  let key = derivedKeys.get(id);
  if (key === undefined) {
    if (derivedKeys.size >= MAX_DERIVED_KEYS) derivedKeys.clear();
    key = createHash(algorithm).update(keySalt + secret, 'utf8').digest();
    derivedKeys.set(id, key);
  }
  return key;
}

/** django.utils.crypto.salted_hmac: HMAC keyed with hash(key_salt + secret). */
export function saltedHmac(keySalt: string, value: string | Buffer, secret: string, algorithm: HashAlgorithm): Buffer {
  return createHmac(algorithm, derivedKey(keySalt, secret, algorithm)).update(value).digest();
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
