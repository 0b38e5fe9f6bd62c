import type { CsrfConfig } from '../config/settings.ts';

// RFC 6265's cookie-av values may not hold ';' or control characters: a setting holding one would let it
// write attributes of its own.
function isSafeAttribute(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x3b) return false;
  }
  return true;
}

function attribute(name: string, value: string): string {
  if (!isSafeAttribute(value)) throw new TypeError(`the CSRF cookie's ${name} holds a character a Set-Cookie header cannot`);
  return `${name}=${value}`;
}

/**
 * The Set-Cookie header Django's CsrfViewMiddleware writes (response.set_cookie with the CSRF_COOKIE_*
 * settings): `value` is the secret (4.0+) or masked token (before 4.0), always [A-Za-z0-9].
 */
export function csrfSetCookie(csrf: CsrfConfig, value: string, now: number): string {
  const parts = [`${csrf.cookieName}=${value}`];
  if (csrf.cookieAge !== null) {
    parts.push(`Expires=${new Date(now + csrf.cookieAge * 1000).toUTCString()}`, `Max-Age=${csrf.cookieAge}`);
  }
  if (csrf.cookieDomain !== null) parts.push(attribute('Domain', csrf.cookieDomain));
  parts.push(attribute('Path', csrf.cookiePath));
  if (csrf.cookieSecure) parts.push('Secure');
  if (csrf.cookieHttpOnly) parts.push('HttpOnly');
  if (csrf.cookieSameSite !== false) parts.push(`SameSite=${csrf.cookieSameSite}`);
  return parts.join('; ');
}
