/**
 * The textual arguments of pickle's protocol-0 opcodes, parsed as CPython's unpickler parses them.
 * Every function returns null where Python would raise, and the caller turns that into `bad_pickle`.
 */
import { MAX_INT_STR_DIGITS } from './python-limits.ts';
import { isAsciiSpace, stripWith } from './python-whitespace.ts';

const PYTHON_FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const PYTHON_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

// strtol(s, &end, 0) as the C unpickler's INT first tries it: a leading 0 means octal.
const C_STRTOL_BASE0 = /^[ \t\n\r\v\f]*([+-]?)(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/;
const C_LONG_MAX = (1n << 63n) - 1n;
// A decimal with more digits than this never fits a C long, whatever its value.
const C_LONG_DIGITS = 19;

type DigitTest = (code: number) => boolean;
const isDecimal: DigitTest = (code) => code >= 0x30 && code <= 0x39;
const isZero: DigitTest = (code) => code === 0x30;
const PREFIXED: Record<string, { radix: string; isDigit: DigitTest }> = {
  x: { radix: '0x', isDigit: (code) => isDecimal(code) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46) },
  o: { radix: '0o', isDigit: (code) => code >= 0x30 && code <= 0x37 },
  b: { radix: '0b', isDigit: (code) => code === 0x30 || code === 0x31 },
};

/**
 * How many digits text holds from `start` to its end, when they are digits with single underscores
 * between them (and, after a base prefix, before the first); otherwise -1. One pass, no regex: a
 * repeated regex group is slow on a megabyte of digits.
 */
function digitRun(text: string, start: number, isDigit: DigitTest, underscoreFirst: boolean): number {
  let count = 0;
  for (let i = start; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    if (code === 0x5f && (count > 0 || underscoreFirst)) code = text.charCodeAt(++i);
    if (!isDigit(code)) return -1;
    count += 1;
  }
  return count > 0 ? count : -1;
}

/**
 * ASCII text without its underscores. String.prototype.replaceAll takes hundreds of milliseconds on a
 * megabyte of them; copying the other bytes does not.
 */
export function withoutUnderscores(text: string): string {
  if (!text.includes('_')) return text;
  const out = Buffer.allocUnsafe(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code !== 0x5f) out[length++] = code;
  }
  return out.toString('latin1', 0, length);
}

function digits(text: string, start: number, radix: string): bigint {
  return BigInt(`${radix}${withoutUnderscores(text.slice(start))}`);
}

/** int(text, 0) (base 0) or int(text) (base 10) of a LONG/GET/PUT argument, without its newline. */
export function parsePythonInt(line: Buffer, base: 0 | 10): bigint | null {
  // PyLong_FromString skips Py_ISSPACE (ASCII whitespace) around the number.
  const text = stripWith(line.toString('latin1'), isAsciiSpace);
  const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
  const start = sign.length;
  let value: bigint;
  const prefixed = base === 0 && text[start] === '0' ? PREFIXED[text[start + 1]?.toLowerCase() ?? ''] : undefined;
  if (prefixed) {
    if (digitRun(text, start + 2, prefixed.isDigit, true) < 0) return null;
    value = digits(text, start + 2, prefixed.radix);
  } else if (base === 0 && text[start] === '0') {
    // Base 0 refuses leading zeros, except in zero itself.
    if (digitRun(text, start, isZero, false) < 0) return null;
    value = 0n;
  } else {
    const count = digitRun(text, start, isDecimal, false);
    if (count < 0 || count > MAX_INT_STR_DIGITS) return null;
    value = digits(text, start, '');
  }
  return sign === '-' ? -value : value;
}

/**
 * INT's argument as the C unpickler reads it: strtol(s, 0) when that consumes the whole line and fits
 * a C long ("00" and "01" being False and True), otherwise int(s, 0).
 */
export function parseIntOpcode(line: Buffer): bigint | boolean | null {
  const match = C_STRTOL_BASE0.exec(line.toString('latin1'));
  // strtol overflows on a longer decimal, and then int(s, 0) decides (with its digit limit).
  if (match && (match[4] ?? '').length <= C_LONG_DIGITS) {
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
export function parsePythonFloat(line: Buffer): number | null {
  const text = line.toString('latin1');
  const special = PYTHON_FLOAT_SPECIAL.exec(text);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!PYTHON_FLOAT.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The value of the `count` hex digits of bytes at `start`, or -1 where one is missing or not a hex digit. */
function hexAt(bytes: Buffer, start: number, count: number): number {
  if (start + count > bytes.length) return -1;
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const byte = bytes[i] as number;
    const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : byte >= 0x41 && byte <= 0x46 ? byte - 0x37 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * The raw-unicode-escape codec of UNICODE arguments: bytes are Latin-1 code points, except that
 * \uXXXX and \UXXXXXXXX are escapes when preceded by an odd number of backslashes. The text is built as
 * UTF-16LE bytes and decoded once (which keeps lone surrogates): a megabyte of escapes appended to a
 * string one character at a time costs hundreds of milliseconds.
 */
export function decodeRawUnicodeEscape(line: Buffer): string | null {
  if (!line.includes(0x5c)) return line.toString('latin1');
  // No escape decodes to more UTF-16 units than it has bytes.
  const out = Buffer.allocUnsafe(line.length * 2);
  let length = 0;
  const push = (unit: number): void => {
    out[length++] = unit & 0xff;
    out[length++] = unit >> 8;
  };
  let i = 0;
  while (i < line.length) {
    const byte = line[i] as number;
    if (byte !== 0x5c) {
      push(byte);
      i += 1;
      continue;
    }
    const start = i;
    while (i < line.length && line[i] === 0x5c) i += 1;
    const escaped = (i - start) % 2 === 1 && (line[i] === 0x75 || line[i] === 0x55);
    for (let k = start; k < i - (escaped ? 1 : 0); k += 1) push(0x5c);
    if (!escaped) continue;
    const width = line[i] === 0x75 ? 4 : 8;
    const code = hexAt(line, i + 1, width);
    if (code < 0 || code > 0x10ffff) return null;
    if (code > 0xffff) {
      push(0xd800 + ((code - 0x10000) >> 10));
      push(0xdc00 + ((code - 0x10000) & 0x3ff));
    } else push(code);
    i += 1 + width;
  }
  return out.toString('utf16le', 0, length);
}

function isOctal(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x37;
}

// escape_decode's one-character escapes, by the byte after the backslash (-1: not one of them).
const SIMPLE_ESCAPES = new Int16Array(256).fill(-1);
for (const [escape, byte] of Object.entries({ '\\': 0x5c, "'": 0x27, '"': 0x22, a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b })) {
  SIMPLE_ESCAPES[escape.charCodeAt(0)] = byte;
}

/**
 * STRING's argument: a quoted Python 2 str literal, unescaped with codecs.escape_decode and then read as
 * ASCII (pickle.loads' default encoding). The bytes are built in a buffer: see decodeRawUnicodeEscape.
 */
export function decodeQuotedString(line: Buffer): string | null {
  const quote = line[0];
  if (line.length < 2 || line[line.length - 1] !== quote || (quote !== 0x22 && quote !== 0x27)) return null;
  const body = line.subarray(1, -1);
  if (!body.includes(0x5c)) return asciiOnly(body.toString('latin1'));
  const out = Buffer.allocUnsafe(body.length);
  let length = 0;
  let i = 0;
  while (i < body.length) {
    const byte = body[i] as number;
    i += 1;
    if (byte !== 0x5c) {
      out[length++] = byte;
      continue;
    }
    const next = body[i];
    if (next === undefined) return null;
    i += 1;
    const simple = SIMPLE_ESCAPES[next] as number;
    if (next === 0x0a) {
      // A backslash-newline is a line continuation: it stands for nothing.
    } else if (simple >= 0) {
      out[length++] = simple;
    } else if (next === 0x78) {
      const value = hexAt(body, i, 2);
      if (value < 0) return null;
      out[length++] = value;
      i += 2;
    } else if (isOctal(next)) {
      // Up to three octal digits, the value taken modulo 256.
      let value = next - 0x30;
      for (let k = 0; k < 2 && isOctal(body[i] ?? 0); k += 1) value = value * 8 + ((body[i++] as number) - 0x30);
      out[length++] = value & 0xff;
    } else {
      // An unknown escape keeps its backslash; the character after it is read again as text.
      out[length++] = 0x5c;
      i -= 1;
    }
  }
  return asciiOnly(out.toString('latin1', 0, length));
}

/** bytes.decode('ascii') of BINSTRING/SHORT_BINSTRING and of STRING once unescaped. */
export function asciiOnly(text: string): string | null {
  return /[\u0080-\uffff]/.test(text) ? null : text;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** bytes.decode('utf-8', 'surrogatepass'), as pickle reads BINUNICODE*: lone surrogates are allowed. */
export function decodeUtf8SurrogatePass(bytes: Buffer): string | null {
  // Most names and session keys are ASCII, which Latin-1 decodes identically and much faster.
  if (isAscii(bytes)) return bytes.toString('latin1');
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return decodeWithSurrogates(bytes);
  }
}

function isAscii(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte >= 0x80) return false;
  return true;
}

function decodeWithSurrogates(bytes: Uint8Array): string | null {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const width = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (width === 0 || i + width > bytes.length) return null;
    let code = width === 1 ? lead : lead & (0xff >> (width + 1));
    for (let k = 1; k < width; k += 1) {
      const next = bytes[i + k] ?? 0;
      if ((next & 0xc0) !== 0x80) return null;
      code = (code << 6) | (next & 0x3f);
    }
    const minimum = [0, 0, 0x80, 0x800, 0x10000][width] ?? 0;
    if (code < minimum || code > 0x10ffff) return null;
    out += String.fromCodePoint(code);
    i += width;
  }
  return out;
}
