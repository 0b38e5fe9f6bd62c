import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEquals } from '../crypto.ts';
import { MAX_ENCODED_LENGTH, splitMax } from './fields.ts';
import { PasswordHasherError, type PasswordHasher } from './hasher.ts';
import { loadBcrypt } from './native.ts';

/** The options of BCryptSHA256PasswordHasher: 12 rounds in every release. */
export interface BcryptSha256Options {
  rounds: number;
}

// bcrypt's own base64 alphabet; 22 characters carry the 16 salt bytes (the last one only 2 of its bits).
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// What bcrypt.hashpw reads of a salt: the prefix it keeps, the cost, and the 22 salt characters.
const SALT = /^(\$2[aby]\$)([0-9]{2})\$([./A-Za-z0-9]{22})/;

function bcryptBase64Decode(text: string): Buffer {
  let bits = 0;
  let acc = 0;
  const out: number[] = [];
  for (const char of text) {
    acc = (acc << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Buffer.from(out.slice(0, 16));
}

function bcryptBase64Encode(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(acc >> bits) & 0x3f];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (6 - bits)) & 0x3f];
  return out;
}

/** django.contrib.auth.hashers.BCryptSHA256PasswordHasher. */
export function bcryptSha256Hasher(options: BcryptSha256Options): PasswordHasher {
  // bcrypt.hashpw(hexlify(sha256(password)), salt), with the salt's own prefix as bcrypt 3 returns it.
  async function encodeWith(password: string, salt: string): Promise<string | null> {
    const match = SALT.exec(salt);
    if (match === null) return null;
    const [, prefix = '', rounds = '', chars = ''] = match;
    const cost = Number(rounds);
    if (cost < 4 || cost > 31) return null;
    const digest = createHash('sha256').update(password, 'utf8').digest('hex');
    const bcrypt = await loadBcrypt();
    const hashed = await bcrypt.hash(digest, cost, bcryptBase64Decode(chars));
    return `bcrypt_sha256$${prefix}${hashed.slice(4)}`;
  }

  return {
    algorithm: 'bcrypt_sha256',
    // bcrypt.gensalt(rounds).
    salt: () => `$2b$${String(options.rounds).padStart(2, '0')}$${bcryptBase64Encode(randomBytes(16))}`,
    async encode(password, salt) {
      const encoded = await encodeWith(password, salt);
      if (encoded === null) throw new PasswordHasherError('Invalid salt');
      return encoded;
    },
    async verify(password, encoded) {
      if (encoded.length > MAX_ENCODED_LENGTH) return false;
      const [algorithm, data] = splitMax(encoded, '$', 1);
      if (algorithm !== 'bcrypt_sha256' || data === undefined) return false;
      const computed = await encodeWith(password, data);
      return computed !== null && constantTimeEquals(encoded, computed);
    },
    mustUpdate(encoded) {
      const [algorithm, , , workFactor, data] = splitMax(encoded, '$', 4);
      if (algorithm !== 'bcrypt_sha256' || data === undefined || workFactor === undefined || !/^[0-9]{1,10}$/.test(workFactor)) return false;
      return Number(workFactor) !== options.rounds;
    },
    async hardenRuntime(password, encoded) {
      const data = splitMax(encoded, '$', 1)[1];
      const rounds = data?.split('$')[2];
      if (data === undefined || rounds === undefined || !/^[0-9]{1,2}$/.test(rounds)) return;
      // The work factor is logarithmic: each missing round is one more hash of the same cost.
      for (let diff = 2 ** (options.rounds - Number(rounds)) - 1; diff > 0; diff--) await encodeWith(password, data.slice(0, 29));
    },
  };
}
