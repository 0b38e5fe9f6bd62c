import { MAX_INT_STR_DIGITS } from './python-limits.ts';
import { isIntSpace, stripWith } from './python-whitespace.ts';

// Python's int() accepts any Unicode decimal digit (category Nd), with single underscores between digits,
// an optional sign, and surrounding whitespace (stripped first, by int()'s own rule).
const PYTHON_INT = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u;
const DECIMAL_DIGIT = /\p{Nd}/u;

/** A Unicode decimal digit's value: Nd digits come in runs of ten starting at zero. */
function digitValue(char: string): number {
  const code = char.codePointAt(0) as number;
  let start = code;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  return (code - start) % 10;
}

/** The digits of a string PYTHON_INT matched: every code point but the sign and the underscores. */
function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    // A digit outside the BMP is a surrogate pair: count its high half only.
    if (code !== 0x5f && code !== 0x2b && code !== 0x2d && (code < 0xdc00 || code > 0xdfff)) count += 1;
  }
  return count;
}

/**
 * The user's primary key as Django reads `_auth_user_id`: AutoField.to_python, i.e. Python's int().
 * Returns null where Django would raise ValidationError (and so never log the visitor in), and
 * 'none' for JSON null, which Django passes on and finds no user for.
 */
export function parseUserId(value: unknown): bigint | null | 'none' {
  if (value === null) return 'none';
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  if (typeof value !== 'string') return null;
  const text = stripWith(value, isIntSpace);
  if (!PYTHON_INT.test(text) || digitCount(text) > MAX_INT_STR_DIGITS) return null;
  let digits = '';
  for (const char of text) {
    if (char === '_') continue;
    // ASCII digits and the sign stand for themselves; only other Nd digits need their value looked up.
    digits += char <= '9' ? char : String(digitValue(char));
  }
  return BigInt(digits);
}
