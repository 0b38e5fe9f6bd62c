const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * django.core.signing.b62_encode (baseconv.base62 before Django 4.0). Python's ints have no size limit: pass a
 * bigint to encode one past 2^53 exactly.
 */
export function b62Encode(value: number | bigint): string {
  if (typeof value === 'bigint') return b62EncodeBigInt(value);
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  let rest = Math.abs(value);
  let encoded = '';
  while (rest > 0) {
    encoded = DIGITS[rest % 62] + encoded;
    rest = Math.floor(rest / 62);
  }
  return sign + encoded;
}

function b62EncodeBigInt(value: bigint): string {
  if (value === 0n) return '0';
  const sign = value < 0n ? '-' : '';
  let rest = value < 0n ? -value : value;
  let encoded = '';
  while (rest > 0n) {
    encoded = DIGITS[Number(rest % 62n)] + encoded;
    rest /= 62n;
  }
  return sign + encoded;
}

/**
 * django.core.signing.b62_decode. Returns null where Django raises (a character outside the alphabet). A number:
 * exact up to 2^53, which holds every timestamp; b62DecodeBigInt is exact beyond.
 */
export function b62Decode(text: string): number | null {
  if (text === '') return null;
  if (text === '0') return 0;
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  let value = 0;
  for (const char of digits) {
    const digit = DIGITS.indexOf(char);
    if (digit < 0) return null;
    value = value * 62 + digit;
  }
  return negative ? -value : value;
}

/**
 * django.core.signing.b62_decode, exact for any size, as Python's int is. Returns null where Django raises.
 * Its cost grows with the square of the text's length: bound the text before calling it with untrusted input.
 */
export function b62DecodeBigInt(text: string): bigint | null {
  if (text === '') return null;
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  let value = 0n;
  for (const char of digits) {
    const digit = DIGITS.indexOf(char);
    if (digit < 0) return null;
    value = value * 62n + BigInt(digit);
  }
  return negative ? -value : value;
}
