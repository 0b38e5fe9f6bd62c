/**
 * The textual arguments of pickle's protocol-0 opcodes, parsed as CPython's unpickler parses them.
 * Every function returns null where Python would raise, and the caller turns that into `bad_pickle`.
 */
// Python 3.11's int() refuses decimal strings longer than this (sys.int_info.default_max_str_digits).
const MAX_DECIMAL_DIGITS = 4300;
// int(text, 0): base from the prefix, single underscores between digits, no leading zeros in decimal.
const PYTHON_INT_BASE0 = /^([+-]?)(?:0[xX]((?:_?[0-9a-fA-F])+)|0[oO]((?:_?[0-7])+)|0[bB]((?:_?[01])+)|([1-9](?:_?[0-9])*)|(0(?:_?0)*))$/;
const PYTHON_FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const PYTHON_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
// bytes.strip() with no argument: ASCII whitespace.
const ASCII_SPACE = /^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g;
const PYTHON_INT_BASE10 = /^([+-]?)([0-9](?:_?[0-9])*)$/;
// strtol(s, &end, 0) as the C unpickler's INT first tries it: a leading 0 means octal.
const C_STRTOL_BASE0 = /^[ \t\n\r\v\f]*([+-]?)(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/;
const C_LONG_MAX = (1n << 63n) - 1n;
function digits(text, radix) {
    const plain = text.replaceAll('_', '');
    if (radix === '' && plain.length > MAX_DECIMAL_DIGITS)
        return null;
    return BigInt(`${radix}${plain}`);
}
function signed(sign, value) {
    return value === null ? null : sign === '-' ? -value : value;
}
/** int(text, 0) (base 0) or int(text) (base 10) of a LONG/GET/PUT argument, without its newline. */
export function parsePythonInt(line, base) {
    const text = line.toString('latin1').replace(ASCII_SPACE, '');
    if (base === 10) {
        const match = PYTHON_INT_BASE10.exec(text);
        return match ? signed(match[1] ?? '', digits(match[2] ?? '', '')) : null;
    }
    const match = PYTHON_INT_BASE0.exec(text);
    if (!match)
        return null;
    const [, sign = '', hex, octal, binary, decimal] = match;
    if (hex !== undefined)
        return signed(sign, digits(hex, '0x'));
    if (octal !== undefined)
        return signed(sign, digits(octal, '0o'));
    if (binary !== undefined)
        return signed(sign, digits(binary, '0b'));
    return decimal !== undefined ? signed(sign, digits(decimal, '')) : 0n;
}
/**
 * INT's argument as the C unpickler reads it: strtol(s, 0) when that consumes the whole line and fits
 * a C long ("00" and "01" being False and True), otherwise int(s, 0).
 */
export function parseIntOpcode(line) {
    const match = C_STRTOL_BASE0.exec(line.toString('latin1'));
    if (match) {
        const [, sign, hex, octal, decimal = '0'] = match;
        const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? BigInt(`0o${octal.slice(1) || '0'}`) : BigInt(decimal);
        const value = sign === '-' ? -magnitude : magnitude;
        if (value <= C_LONG_MAX && value >= -C_LONG_MAX - 1n) {
            return line.length === 2 && (value === 0n || value === 1n) ? value === 1n : value;
        }
    }
    return parsePythonInt(line, 0);
}
/** FLOAT's argument: PyOS_string_to_double, which takes no whitespace or underscores and refuses overflow. */
export function parsePythonFloat(line) {
    const text = line.toString('latin1');
    const special = PYTHON_FLOAT_SPECIAL.exec(text);
    if (special) {
        if (special[2]?.toLowerCase() === 'nan')
            return Number.NaN;
        return special[1] === '-' ? -Infinity : Infinity;
    }
    if (!PYTHON_FLOAT.test(text))
        return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
}
const HEX_DIGIT = /^[0-9a-fA-F]$/;
/**
 * The raw-unicode-escape codec of UNICODE arguments: bytes are Latin-1 code points, except that
 * \uXXXX and \UXXXXXXXX are escapes when preceded by an odd number of backslashes.
 */
export function decodeRawUnicodeEscape(line) {
    const text = line.toString('latin1');
    let out = '';
    let i = 0;
    while (i < text.length) {
        if (text[i] !== '\\') {
            out += text[i++];
            continue;
        }
        const start = i;
        while (i < text.length && text[i] === '\\')
            i += 1;
        const escaped = (i - start) % 2 === 1 && (text[i] === 'u' || text[i] === 'U');
        out += '\\'.repeat(i - start - (escaped ? 1 : 0));
        if (!escaped)
            continue;
        const width = text[i] === 'u' ? 4 : 8;
        const digits = text.slice(i + 1, i + 1 + width);
        if (digits.length < width || ![...digits].every((d) => HEX_DIGIT.test(d)))
            return null;
        const code = Number.parseInt(digits, 16);
        if (code > 0x10ffff)
            return null;
        out += String.fromCodePoint(code);
        i += 1 + width;
    }
    return out;
}
const SIMPLE_ESCAPES = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };
/**
 * STRING's argument: a quoted Python 2 str literal, unescaped with codecs.escape_decode and then read as
 * ASCII (pickle.loads' default encoding).
 */
export function decodeQuotedString(line) {
    const quote = line[0];
    if (line.length < 2 || line[line.length - 1] !== quote || (quote !== 0x22 && quote !== 0x27))
        return null;
    const text = line.subarray(1, -1).toString('latin1');
    let out = '';
    for (let i = 0; i < text.length; i += 1) {
        if (text[i] !== '\\') {
            out += text[i];
            continue;
        }
        const next = text[i + 1];
        if (next === undefined)
            return null;
        if (next in SIMPLE_ESCAPES) {
            out += SIMPLE_ESCAPES[next];
            i += 1;
        }
        else if (next === 'x') {
            const digits = text.slice(i + 2, i + 4);
            if (!/^[0-9a-fA-F]{2}$/.test(digits))
                return null;
            out += String.fromCharCode(Number.parseInt(digits, 16));
            i += 3;
        }
        else if (/[0-7]/.test(next)) {
            const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1))?.[0] ?? '';
            out += String.fromCharCode(Number.parseInt(digits, 8) & 0xff);
            i += digits.length;
        }
        else
            out += '\\';
    }
    return asciiOnly(out);
}
/** bytes.decode('ascii') of BINSTRING/SHORT_BINSTRING and of STRING once unescaped. */
export function asciiOnly(text) {
    return /[\u0080-\uffff]/.test(text) ? null : text;
}
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** bytes.decode('utf-8', 'surrogatepass'), as pickle reads BINUNICODE*: lone surrogates are allowed. */
export function decodeUtf8SurrogatePass(bytes) {
    // Most names and session keys are ASCII, which Latin-1 decodes identically and much faster.
    if (isAscii(bytes))
        return bytes.toString('latin1');
    try {
        return STRICT_UTF8.decode(bytes);
    }
    catch {
        return decodeWithSurrogates(bytes);
    }
}
function isAscii(bytes) {
    for (const byte of bytes)
        if (byte >= 0x80)
            return false;
    return true;
}
function decodeWithSurrogates(bytes) {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
        const lead = bytes[i] ?? 0;
        const width = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
        if (width === 0 || i + width > bytes.length)
            return null;
        let code = width === 1 ? lead : lead & (0xff >> (width + 1));
        for (let k = 1; k < width; k += 1) {
            const next = bytes[i + k] ?? 0;
            if ((next & 0xc0) !== 0x80)
                return null;
            code = (code << 6) | (next & 0x3f);
        }
        const minimum = [0, 0, 0x80, 0x800, 0x10000][width] ?? 0;
        if (code < minimum || code > 0x10ffff)
            return null;
        out += String.fromCodePoint(code);
        i += width;
    }
    return out;
}
//# sourceMappingURL=pickle-text.js.map