import { pythonStrip } from './python-whitespace.ts';

/**
 * django.http.cookie.parse_cookie: split on ';', the first '=' separates name and value, str.strip()
 * drops surrounding whitespace (Python's: U+001C–U+001F and U+0085 too, U+FEFF not, unlike trim()),
 * and the last occurrence of a name wins. Koa's cookie reader keeps the first one
 * instead, which would let a duplicated cookie name mean different visitors to Django and to us.
 */
export function parseCookieHeader(header: string): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const chunk of header.split(';')) {
    const eq = chunk.indexOf('=');
    const name = pythonStrip(eq < 0 ? '' : chunk.slice(0, eq));
    const value = pythonStrip(eq < 0 ? chunk : chunk.slice(eq + 1));
    if (name || value) cookies.set(name, unquote(value));
  }
  return cookies;
}

/** http.cookies._unquote: a double-quoted value loses its quotes and its backslash escapes. */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value
    .slice(1, -1)
    .replace(/\\([0-3][0-7][0-7])|\\(.)/g, (_, octal: string | undefined, char: string | undefined) =>
      octal ? String.fromCharCode(parseInt(octal, 8)) : (char as string),
    );
}
