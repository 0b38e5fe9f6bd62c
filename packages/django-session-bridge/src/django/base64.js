/** django.core.signing.b64_encode: URL-safe base64 with the padding stripped. */
export function b64Encode(data) {
    return data.toString('base64url');
}
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** ASCII code → sextet, -1 outside the alphabet. */
function decodeTable(extra) {
    const table = new Int8Array(128).fill(-1);
    for (const [value, char] of [...ALPHABET].entries())
        table[char.charCodeAt(0)] = value;
    for (const [char, value] of Object.entries(extra))
        table[char.charCodeAt(0)] = value;
    return table;
}
const STANDARD = decodeTable({});
const URLSAFE = decodeTable({ '-': 62, _: 63 });
/**
 * binascii.a2b_base64 in its lenient mode, which is what base64.b64decode uses: characters outside the
 * alphabet are skipped, decoding stops after complete padding, and a dangling group is an error (null).
 * Non-ASCII input is an error too, as Python refuses to encode it.
 */
function a2bBase64(text, table) {
    const out = Buffer.allocUnsafe(Math.ceil((text.length * 3) / 4));
    let length = 0;
    let quadPos = 0;
    let leftChar = 0;
    let pads = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0x7f)
            return null;
        if (code === 0x3d) {
            pads += 1;
            if (quadPos >= 2 && quadPos + pads >= 4)
                return out.subarray(0, length);
            continue;
        }
        const value = table[code];
        if (value < 0)
            continue;
        pads = 0;
        if (quadPos === 0) {
            leftChar = value;
        }
        else if (quadPos === 1) {
            out[length++] = ((leftChar << 2) | (value >> 4)) & 0xff;
            leftChar = value & 0x0f;
        }
        else if (quadPos === 2) {
            out[length++] = ((leftChar << 4) | (value >> 2)) & 0xff;
            leftChar = value & 0x03;
        }
        else {
            out[length++] = ((leftChar << 6) | value) & 0xff;
        }
        quadPos = (quadPos + 1) % 4;
    }
    return quadPos === 0 ? out.subarray(0, length) : null;
}
/** django.core.signing.b64_decode: pad to a multiple of four, then base64.urlsafe_b64decode. */
export function b64Decode(text) {
    return a2bBase64(text + '='.repeat((4 - (text.length % 4)) % 4), URLSAFE);
}
/** base64.b64decode, as the pre-3.1 session format used it. */
export function standardB64Decode(text) {
    return a2bBase64(text, STANDARD);
}
//# sourceMappingURL=base64.js.map