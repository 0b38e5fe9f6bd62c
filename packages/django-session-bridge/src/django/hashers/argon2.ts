import { timingSafeEqual } from 'node:crypto';
import { MAX_ENCODED_LENGTH, splitMax } from './fields.ts';
import { PasswordHasherError, type PasswordHasher } from './hasher.ts';
import { loadArgon2 } from './native.ts';
import { entropySalt, mustUpdateSalt } from './random.ts';

/** The options of Argon2PasswordHasher: 2, 102400 and 8 from Django 3.2 through 6.1. */
export interface Argon2HasherOptions {
  timeCost: number;
  memoryCost: number;
  parallelism: number;
}

// argon2-cffi's DEFAULT_HASH_LENGTH, and the version its hash_secret writes (0x13).
const HASH_LENGTH = 16;
const ARGON2_VERSION = 19;
// @node-rs/argon2's enums, by value: they are const enums, which an isolated module cannot import.
const TYPES: Record<string, number> = { argon2d: 0, argon2i: 1, argon2id: 2 };
const NODE_VERSIONS: Record<number, number> = { 16: 0, 19: 1 };
// Bounds on what a stored hash may ask: the memory cost (KiB) is what a hash spends per check.
const MAX_MEMORY_KIB = 4 * 1024 * 1024;
const MAX_TIME_COST = 1024;
const MAX_PARALLELISM = 255;
const B64 = /^[A-Za-z0-9+/]*$/;

/** argon2.Parameters as extract_parameters reads them (salt_len aside: must_update copies it), with the raw salt and hash. */
interface Parsed {
  variety: string;
  version: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  salt: Buffer;
  hash: Buffer;
  hashLength: number;
}

// argon2-cffi's _decoded_str_len: the byte length of unpadded base64 of length l.
function decodedLength(l: number): number {
  const rem = l % 4;
  return Math.floor(l / 4) * 3 + (rem === 3 ? 2 : rem === 2 ? 1 : 0);
}

function integer(text: string | undefined): number | null {
  return text !== undefined && /^[0-9]{1,10}$/.test(text) ? Number(text) : null;
}

/** argon2.extract_parameters("$" + rest), plus the salt and hash; null where it raises InvalidHash. */
function parse(encoded: string): Parsed | null {
  if (encoded.length > MAX_ENCODED_LENGTH) return null;
  const [algorithm, rest] = splitMax(encoded, '$', 1);
  if (algorithm !== 'argon2' || rest === undefined) return null;
  const parts = ('$' + rest).split('$');
  // Argon2 v1.2 hashes carry no version: extract_parameters calls them v=18.
  if (parts.length === 5) parts.splice(2, 0, 'v=18');
  const [empty, variety, version, params, salt, hash] = parts;
  if (parts.length !== 6 || empty !== '' || variety === undefined || !(variety in TYPES)) return null;
  if (version === undefined || params === undefined || salt === undefined || hash === undefined) return null;
  const kvs = new Map<string, number>();
  for (const field of [version, ...params.split(',')]) {
    const [key = '', value, extra] = field.split('=');
    const number = integer(value);
    if (extra !== undefined || number === null) return null;
    kvs.set(key, number);
  }
  const [v, m, t, p] = ['v', 'm', 't', 'p'].map((key) => kvs.get(key));
  if (kvs.size !== 4 || v === undefined || m === undefined || t === undefined || p === undefined) return null;
  if (!B64.test(salt) || !B64.test(hash)) return null;
  return {
    variety,
    version: v,
    memoryCost: m,
    timeCost: t,
    parallelism: p,
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
    hashLength: decodedLength(hash.length),
  };
}

function unpadded(bytes: Buffer): string {
  const text = bytes.toString('base64');
  let end = text.length;
  while (end > 0 && text[end - 1] === '=') end -= 1;
  return text.slice(0, end);
}

/** django.contrib.auth.hashers.Argon2PasswordHasher (argon2id, argon2-cffi's encoded format). */
export function argon2Hasher(options: Argon2HasherOptions): PasswordHasher {
  async function raw(password: string, salt: Buffer, p: Omit<Parsed, 'salt' | 'hash'>): Promise<Buffer> {
    const argon2 = await loadArgon2();
    return argon2.hashRaw(Buffer.from(password, 'utf8'), {
      salt,
      timeCost: p.timeCost,
      memoryCost: p.memoryCost,
      parallelism: p.parallelism,
      outputLen: p.hashLength,
      algorithm: TYPES[p.variety] as never,
      version: NODE_VERSIONS[p.version] as never,
    });
  }

  return {
    algorithm: 'argon2',
    salt: entropySalt,
    async encode(password, salt) {
      if (!salt || salt.includes('$')) throw new PasswordHasherError('salt must be provided and cannot contain $.');
      const saltBytes = Buffer.from(salt, 'utf8');
      const hash = await raw(password, saltBytes, { variety: 'argon2id', version: ARGON2_VERSION, hashLength: HASH_LENGTH, ...options });
      const params = `m=${options.memoryCost},t=${options.timeCost},p=${options.parallelism}`;
      return `argon2$argon2id$v=${ARGON2_VERSION}$${params}$${unpadded(saltBytes)}$${unpadded(hash)}`;
    },
    async verify(password, encoded) {
      const parsed = parse(encoded);
      if (parsed === null || !(parsed.version in NODE_VERSIONS) || parsed.hash.length === 0) return false;
      if (parsed.memoryCost > MAX_MEMORY_KIB || parsed.timeCost > MAX_TIME_COST || parsed.parallelism > MAX_PARALLELISM) return false;
      try {
        const computed = await raw(password, parsed.salt, parsed);
        return computed.length === parsed.hash.length && timingSafeEqual(computed, parsed.hash);
      } catch (error) {
        // libargon2 refuses out-of-range parameters (a salt under 8 bytes, m < 8p): VerificationError in Django.
        if (error instanceof PasswordHasherError) throw error;
        return false;
      }
    },
    mustUpdate(encoded) {
      const parsed = parse(encoded);
      if (parsed === null) return false;
      const paramsChanged = parsed.variety !== 'argon2id' || parsed.version !== ARGON2_VERSION || parsed.hashLength !== HASH_LENGTH
        || parsed.timeCost !== options.timeCost || parsed.memoryCost !== options.memoryCost || parsed.parallelism !== options.parallelism;
      return paramsChanged || mustUpdateSalt(parsed.salt.toString('latin1'));
    },
    // "The runtime for Argon2 is too complicated to implement a sensible hardening algorithm."
    hardenRuntime: async () => {},
  };
}
