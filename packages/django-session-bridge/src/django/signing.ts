import { deflateSync, inflateSync } from 'node:zlib';
import { b62Decode, b62Encode } from './base62.ts';
import { b64Decode, b64Encode } from './base64.ts';
import { constantTimeEquals, saltedHmac, type HashAlgorithm } from './crypto.ts';
import { pythonJsonDumps } from './python-json.ts';

/** What signing.loads takes: the keys to try, the salt and the bounds. */
export interface UnsignOptions {
  /** SECRET_KEY first, then SECRET_KEY_FALLBACKS, in order. */
  keys: readonly string[];
  salt: string;
  /** Django 3.1/3.2 also accepted signatures made with SHA-1 (DEFAULT_HASHING_ALGORITHM = 'sha1'). */
  acceptSha1: boolean;
  /** Seconds; checked against `now` like TimestampSigner.unsign(max_age=...). */
  maxAge?: number;
  now?: number;
  /** Inflated payloads larger than this are refused: the signature is checked first, but a key can leak. */
  maxBytes: number;
}

/** Why a signed value was refused. */
export type UnsignFailure = 'bad_signature' | 'signature_expired' | 'bad_timestamp' | 'bad_base64' | 'bad_zlib' | 'too_large';

/** A verified payload with the index of the key that signed it, or the failure. */
export type Unsigned =
  | { ok: true; payload: Buffer; keyIndex: number }
  | { ok: false; reason: UnsignFailure };

function signature(value: string, key: string, salt: string, algorithm: HashAlgorithm): string {
  return b64Encode(saltedHmac(salt + 'signer', value, key, algorithm));
}

function verifiedKey(value: string, sig: string, options: UnsignOptions): number {
  for (const [index, key] of options.keys.entries()) {
    if (constantTimeEquals(sig, signature(value, key, options.salt, 'sha256'))) return index;
    if (options.acceptSha1 && constantTimeEquals(sig, signature(value, key, options.salt, 'sha1'))) return index;
  }
  return -1;
}

/** TimestampSigner.unsign_object without the deserializer: the verified, inflated payload bytes. */
export function unsignObject(signed: string, options: UnsignOptions): Unsigned {
  const sigAt = signed.lastIndexOf(':');
  if (sigAt < 0) return { ok: false, reason: 'bad_signature' };
  const value = signed.slice(0, sigAt);
  const keyIndex = verifiedKey(value, signed.slice(sigAt + 1), options);
  if (keyIndex < 0) return { ok: false, reason: 'bad_signature' };

  const tsAt = value.lastIndexOf(':');
  if (tsAt < 0) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = b62Decode(value.slice(tsAt + 1));
  if (timestamp === null) return { ok: false, reason: 'bad_timestamp' };
  if (options.maxAge !== undefined) {
    const now = options.now ?? Date.now() / 1000;
    if (now - timestamp > options.maxAge) return { ok: false, reason: 'signature_expired' };
  }

  let base64d = value.slice(0, tsAt);
  const compressed = base64d.startsWith('.');
  if (compressed) base64d = base64d.slice(1);
  const data = b64Decode(base64d);
  if (data === null) return { ok: false, reason: 'bad_base64' };
  if (!compressed) {
    return data.length > options.maxBytes ? { ok: false, reason: 'too_large' } : { ok: true, payload: data, keyIndex };
  }
  try {
    return { ok: true, payload: inflateSync(data, { maxOutputLength: options.maxBytes }), keyIndex };
  } catch (error) {
    const tooLarge = error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    return { ok: false, reason: tooLarge ? 'too_large' : 'bad_zlib' };
  }
}

/** What signing.dumps takes: the key, salt, compression and timestamp. */
export interface SignOptions {
  key: string;
  salt: string;
  compress: boolean;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  algorithm?: HashAlgorithm;
}

/** TimestampSigner(key, salt=salt).sign_object(obj, serializer=JSONSerializer, compress=compress). */
export function signObject(obj: unknown, options: SignOptions): string {
  return signSerialized(Buffer.from(pythonJsonDumps(obj), 'latin1'), options);
}

/** sign_object over a serializer's bytes: JSONSerializer's, or PickleSerializer's for sessions before Django 5.0. */
export function signSerialized(serialized: Buffer, options: SignOptions): string {
  let data = serialized;
  let prefix = '';
  if (options.compress) {
    const compressed = deflateSync(data);
    if (compressed.length < data.length - 1) {
      data = compressed;
      prefix = '.';
    }
  }
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const value = `${prefix}${b64Encode(data)}:${b62Encode(timestamp)}`;
  // Signer falls back to its class path when the salt is empty.
  const salt = options.salt || 'django.core.signing.TimestampSigner';
  return `${value}:${signature(value, options.key, salt, options.algorithm ?? 'sha256')}`;
}
