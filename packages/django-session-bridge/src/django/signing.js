import { deflateSync, inflateSync } from 'node:zlib';
import { b62Decode, b62Encode } from "./base62.js";
import { b64Decode, b64Encode } from "./base64.js";
import { constantTimeEquals, saltedHmac } from "./crypto.js";
import { pythonJsonDumps } from "./python-json.js";
function signature(value, key, salt, algorithm) {
    return b64Encode(saltedHmac(salt + 'signer', value, key, algorithm));
}
function verifiedKey(value, sig, options) {
    for (const [index, key] of options.keys.entries()) {
        if (constantTimeEquals(sig, signature(value, key, options.salt, 'sha256')))
            return index;
        if (options.acceptSha1 && constantTimeEquals(sig, signature(value, key, options.salt, 'sha1')))
            return index;
    }
    return -1;
}
/** TimestampSigner.unsign_object without the deserializer: the verified, inflated payload bytes. */
export function unsignObject(signed, options) {
    const sigAt = signed.lastIndexOf(':');
    if (sigAt < 0)
        return { ok: false, reason: 'bad_signature' };
    const value = signed.slice(0, sigAt);
    const keyIndex = verifiedKey(value, signed.slice(sigAt + 1), options);
    if (keyIndex < 0)
        return { ok: false, reason: 'bad_signature' };
    const tsAt = value.lastIndexOf(':');
    if (tsAt < 0)
        return { ok: false, reason: 'bad_timestamp' };
    const timestamp = b62Decode(value.slice(tsAt + 1));
    if (timestamp === null)
        return { ok: false, reason: 'bad_timestamp' };
    if (options.maxAge !== undefined) {
        const now = options.now ?? Date.now() / 1000;
        if (now - timestamp > options.maxAge)
            return { ok: false, reason: 'signature_expired' };
    }
    let base64d = value.slice(0, tsAt);
    const compressed = base64d.startsWith('.');
    if (compressed)
        base64d = base64d.slice(1);
    const data = b64Decode(base64d);
    if (data === null)
        return { ok: false, reason: 'bad_base64' };
    if (!compressed) {
        return data.length > options.maxBytes ? { ok: false, reason: 'too_large' } : { ok: true, payload: data, keyIndex };
    }
    try {
        return { ok: true, payload: inflateSync(data, { maxOutputLength: options.maxBytes }), keyIndex };
    }
    catch (error) {
        const tooLarge = error instanceof RangeError || error.code === 'ERR_BUFFER_TOO_LARGE';
        return { ok: false, reason: tooLarge ? 'too_large' : 'bad_zlib' };
    }
}
/** TimestampSigner(key, salt=salt).sign_object(obj, serializer=JSONSerializer, compress=compress). */
export function signObject(obj, options) {
    let data = Buffer.from(pythonJsonDumps(obj), 'latin1');
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
//# sourceMappingURL=signing.js.map