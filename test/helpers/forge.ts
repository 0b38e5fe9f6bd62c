import { deflateRawSync, constants } from 'node:zlib';
import { b62Encode } from 'django-session-bridge/django';
import { b64Encode } from 'django-session-bridge/django';
import { saltedHmac } from 'django-session-bridge/django';
import { SESSION_SALT } from 'django-session-bridge/django';

export interface SignOptions {
  key: string;
  salt?: string;
}

/** Signer.sign over any value, well-formed or not: what someone holding SECRET_KEY could store. */
export function signValue(value: string, { key, salt = SESSION_SALT }: SignOptions): string {
  return `${value}:${b64Encode(saltedHmac(salt + 'signer', value, key, 'sha256'))}`;
}

export interface ForgeOptions extends SignOptions {
  /** The payload is zlib data: mark it with Django's leading '.'. */
  compressed?: boolean;
  timestamp?: number;
}

/**
 * A value TimestampSigner accepts, over any payload bytes: what a leaked SECRET_KEY (or a bug in the site)
 * could put in session_data or a signed cookie. The decoder must survive whatever it carries.
 */
export function signPayload(payload: Buffer, { compressed = false, timestamp = Math.floor(Date.now() / 1000), ...sign }: ForgeOptions): string {
  return signValue(`${compressed ? '.' : ''}${b64Encode(payload)}:${b62Encode(timestamp)}`, sign);
}

const MIB = 1024 * 1024;

/**
 * zlib data that inflates to `mebibytes` MiB of zeros, built without ever holding them: one deflated MiB,
 * ended by a full flush (byte-aligned, no back-references into earlier copies) and repeated, then a final
 * empty block and the Adler-32 of that many zeros (a stays 1, b counts the bytes).
 */
export function zipBomb(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MIB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE((((mebibytes * MIB) % 65521) * 65536 + 1) >>> 0);
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...Array<Buffer>(mebibytes).fill(block), deflateRawSync(Buffer.alloc(0)), trailer]);
}
