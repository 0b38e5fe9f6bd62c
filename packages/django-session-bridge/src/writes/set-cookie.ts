import type { CsrfConfig } from '../config/settings.ts';
import type { SessionCookieSettings } from './settings.ts';

// Python's http.cookies: a value made only of these characters goes out bare, anything else quoted.
const LEGAL_VALUE = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]+$/;
const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT';

interface CookieAttributes {
  domain?: string | null;
  expires?: string;
  httpOnly?: boolean;
  maxAge?: number;
  path: string;
  sameSite?: string | false;
  secure?: boolean;
}

function quote(value: string): string {
  if (LEGAL_VALUE.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** django.utils.http.http_date: RFC 1123 in GMT, whole seconds. */
export function httpDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toUTCString();
}

/** Morsel.OutputString as Django's HttpResponse.set_cookie fills it: attributes in Python's sorted order. */
export function formatSetCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${quote(value)}`];
  if (attributes.domain) parts.push(`Domain=${attributes.domain}`);
  if (attributes.expires !== undefined) parts.push(`expires=${attributes.expires}`);
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.maxAge !== undefined) parts.push(`Max-Age=${attributes.maxAge}`);
  parts.push(`Path=${attributes.path}`);
  if (attributes.sameSite) parts.push(`SameSite=${attributes.sameSite}`);
  if (attributes.secure) parts.push('Secure');
  return parts.join('; ');
}

/** SessionMiddleware's set_cookie for a saved session; `maxAge` null for a browser-session cookie. */
export function sessionSetCookie(value: string, cookie: SessionCookieSettings, maxAge: number | null, nowMs: number): string {
  return formatSetCookie(cookie.name, value, {
    domain: cookie.domain,
    ...(maxAge === null ? {} : { maxAge, expires: httpDate(nowMs + maxAge * 1000) }),
    httpOnly: cookie.httpOnly,
    path: cookie.path,
    sameSite: cookie.sameSite,
    secure: cookie.secure,
  });
}

/** HttpResponse.delete_cookie as SessionMiddleware calls it for an emptied session. */
export function sessionDeleteCookie(cookie: SessionCookieSettings): string {
  const secure = cookie.name.startsWith('__Secure-') || cookie.name.startsWith('__Host-') || cookie.sameSite === 'None';
  return formatSetCookie(cookie.name, '', { domain: cookie.domain, expires: EPOCH, maxAge: 0, path: cookie.path, sameSite: cookie.sameSite, secure });
}

/** CsrfViewMiddleware's cookie for a rotated token. */
export function csrfSetCookie(value: string, csrf: CsrfConfig, nowMs: number): string {
  return formatSetCookie(csrf.cookieName, value, {
    domain: csrf.cookieDomain,
    ...(csrf.cookieAge === null ? {} : { maxAge: csrf.cookieAge, expires: httpDate(nowMs + csrf.cookieAge * 1000) }),
    httpOnly: csrf.cookieHttpOnly,
    path: csrf.cookiePath,
    sameSite: csrf.cookieSameSite,
    secure: csrf.cookieSecure,
  });
}
