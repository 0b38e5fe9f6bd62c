import { scrypt, type ScryptOptions } from 'node:crypto';
import { constantTimeEquals } from '../crypto.ts';
import { decimalParameter, MAX_ENCODED_LENGTH, splitMax } from './fields.ts';
import { PasswordHasherError, type PasswordHasher } from './hasher.ts';
import { entropySalt } from './random.ts';

// OpenSSL's default limit, which Django's maxmem = 0 selects: parameters needing more fail there too.
const MAX_MEMORY = 32 * 1024 * 1024;

/** The options of ScryptPasswordHasher. */
export interface ScryptHasherOptions {
  /** work_factor (N): 2**14 in every release. */
  workFactor: number;
  /** block_size (r): 8. */
  blockSize: number;
  /** parallelism (p): 1 in Django 4.0 and 4.1, 5 from 4.2. */
  parallelism: number;
}

interface Decoded {
  n: number;
  salt: string;
  r: number;
  p: number;
}

function decode(encoded: string): Decoded | null {
  if (encoded.length > MAX_ENCODED_LENGTH) return null;
  const [name, workFactor, salt, blockSize, parallelism, hash] = splitMax(encoded, '$', 6);
  if (name !== 'scrypt' || workFactor === undefined || salt === undefined || blockSize === undefined || parallelism === undefined || hash === undefined) return null;
  const n = decimalParameter(workFactor, 0, 2 ** 24);
  const r = decimalParameter(blockSize, 0, 1024);
  const p = decimalParameter(parallelism, 0, 1024);
  return n === null || r === null || p === null ? null : { n, salt, r, p };
}

function scryptAsync(password: Buffer, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // The callback form runs on libuv's thread pool, never on the event loop.
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 64, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** django.contrib.auth.hashers.ScryptPasswordHasher (Django 4.0+). */
export function scryptHasher(options: ScryptHasherOptions): PasswordHasher {
  async function encodeWith(password: string, salt: string, n: number, r: number, p: number): Promise<string> {
    if (!salt || salt.includes('$')) throw new PasswordHasherError('salt must be provided and cannot contain $.');
    const N = n || options.workFactor;
    const R = r || options.blockSize;
    const P = p || options.parallelism;
    const hash = await scryptAsync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), { N, r: R, p: P, maxmem: MAX_MEMORY });
    return `scrypt$${N}$${salt}$${R}$${P}$${hash.toString('base64')}`;
  }

  return {
    algorithm: 'scrypt',
    salt: entropySalt,
    encode: (password, salt) => encodeWith(password, salt, 0, 0, 0),
    async verify(password, encoded) {
      const decoded = decode(encoded);
      if (decoded === null) return false;
      try {
        return constantTimeEquals(encoded, await encodeWith(password, decoded.salt, decoded.n, decoded.r, decoded.p));
      } catch (error) {
        // hashlib.scrypt raises on parameters OpenSSL refuses (N not a power of two, too much memory).
        if (error instanceof PasswordHasherError) throw error;
        return false;
      }
    },
    mustUpdate(encoded) {
      const decoded = decode(encoded);
      if (decoded === null) return false;
      return decoded.n !== options.workFactor || decoded.r !== options.blockSize || decoded.p !== options.parallelism;
    },
    // "The runtime for Scrypt is too complicated to implement a sensible hardening algorithm."
    hardenRuntime: async () => {},
  };
}
