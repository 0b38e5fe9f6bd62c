/**
 * Python's whitespace rules, each where CPython applies it. They differ from JavaScript's `\s` and
 * `trim()` (which strip U+FEFF and not U+001C–U+001F or U+0085), and from each other. Every function
 * scans with a loop: a regex such as /^\s+|\s+$/ rescans the input quadratically.
 */

/**
 * str.isspace() (Py_UNICODE_ISSPACE) for one UTF-16 code unit: every such character is in the BMP,
 * so a surrogate half is never whitespace.
 */
export function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

/** Py_ISSPACE, the C locale's isspace(): what bytes.strip() and int(bytes) strip. */
export function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/**
 * What int(str) strips: _PyUnicode_TransformDecimalAndSpaceToASCII turns non-ASCII whitespace into a
 * space, then PyLong_FromString skips Py_ISSPACE. So U+001C–U+001F, which isspace() calls whitespace,
 * are kept and make int() raise.
 */
export function isIntSpace(code: number): boolean {
  return code < 0x80 ? isAsciiSpace(code) : isPythonSpace(code);
}

/** text with the characters `isSpace` accepts removed from both ends. */
export function stripWith(text: string, isSpace: (code: number) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start += 1;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** str.strip() with no argument. */
export function pythonStrip(text: string): string {
  return stripWith(text, isPythonSpace);
}
