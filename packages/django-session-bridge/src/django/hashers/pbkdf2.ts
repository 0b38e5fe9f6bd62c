import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { constantTimeEquals } from '../crypto.ts';
import { decimalParameter, MAX_ENCODED_LENGTH, splitMax } from './fields.ts';
import { PasswordHasherError, type PasswordHasher } from './hasher.ts';
import { entropySalt, mustUpdateSalt } from './random.ts';

// The callback form runs on libuv's thread pool: a million iterations never blocks the event loop.
const pbkdf2Async = promisify(pbkdf2);

/** Iteration counts above this are refused rather than run: no Django release comes near it. */
export const MAX_PBKDF2_ITERATIONS = 100_000_000;

/** The options of PBKDF2PasswordHasher and its subclasses. */
export interface Pbkdf2Options {
  /** `pbkdf2_sha256` (PBKDF2PasswordHasher) or `pbkdf2_sha1` (PBKDF2SHA1PasswordHasher). */
  algorithm: 'pbkdf2_sha256' | 'pbkdf2_sha1';
  /** The class's `iterations`: Django's default for the version, or a subclass's own. */
  iterations: number;
}

interface Decoded {
  iterations: number;
  salt: string;
}

function decode(encoded: string, algorithm: string): Decoded | null {
  if (encoded.length > MAX_ENCODED_LENGTH) return null;
  const [name, rounds, salt, hash] = splitMax(encoded, '$', 3);
  if (name !== algorithm || rounds === undefined || salt === undefined || hash === undefined) return null;
  const iterations = decimalParameter(rounds, 0, MAX_PBKDF2_ITERATIONS);
  return iterations === null ? null : { iterations, salt };
}

/** django.contrib.auth.hashers.PBKDF2PasswordHasher / PBKDF2SHA1PasswordHasher. */
export function pbkdf2Hasher(options: Pbkdf2Options): PasswordHasher {
  const { algorithm } = options;
  const digest = algorithm === 'pbkdf2_sha256' ? 'sha256' : 'sha1';
  const digestLength = digest === 'sha256' ? 32 : 20;

  async function encodeWith(password: string, salt: string, iterations: number): Promise<string> {
    if (!salt || salt.includes('$')) throw new PasswordHasherError('salt must be provided and cannot contain $.');
    // `iterations or self.iterations`: 0 means the class's own count.
    const rounds = iterations || options.iterations;
    const hash = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), rounds, digestLength, digest);
    return `${algorithm}$${rounds}$${salt}$${hash.toString('base64')}`;
  }

  return {
    algorithm,
    salt: entropySalt,
    encode: (password, salt) => encodeWith(password, salt, options.iterations),
    async verify(password, encoded) {
      const decoded = decode(encoded, algorithm);
      if (decoded === null) return false;
      return constantTimeEquals(encoded, await encodeWith(password, decoded.salt, decoded.iterations));
    },
    mustUpdate(encoded) {
      const decoded = decode(encoded, algorithm);
      if (decoded === null) return false;
      return decoded.iterations !== options.iterations || mustUpdateSalt(decoded.salt);
    },
    async hardenRuntime(password, encoded) {
      const decoded = decode(encoded, algorithm);
      if (decoded === null) return;
      const extra = options.iterations - decoded.iterations;
      if (extra > 0) await encodeWith(password, decoded.salt, extra);
    },
  };
}
