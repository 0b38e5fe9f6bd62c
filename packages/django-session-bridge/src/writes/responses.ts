import type { CsrfConfig } from '../config/settings.ts';
import type { SessionDict } from '../django/index.ts';
import { expiresAtBrowserClose, expiryAge } from './expiry.ts';
import { csrfSetCookie, sessionDeleteCookie, sessionSetCookie } from './set-cookie.ts';
import type { SessionCookieSettings } from './settings.ts';

/** The headers Django's middleware would put on the response: send every Set-Cookie, and Vary. */
export interface SessionHeaders {
  /** Set-Cookie values: the session cookie (set or deleted), then the CSRF cookie when it rotated. */
  setCookie: string[];
  /** SessionMiddleware patches Vary with Cookie on every response that touched the session. */
  vary: 'Cookie';
}

/** SessionMiddleware.process_response for a saved, non-empty session. */
export function savedSessionCookie(value: string, data: SessionDict, cookie: SessionCookieSettings, nowMs: number): string {
  const maxAge = expiresAtBrowserClose(data, cookie.expireAtBrowserClose) ? null : expiryAge(data, cookie.age, nowMs);
  return sessionSetCookie(value, cookie, maxAge, nowMs);
}

/** The headers for a session saved under `value`, with the CSRF cookie when one was rotated outside the session. */
export function savedHeaders(value: string, data: SessionDict, cookie: SessionCookieSettings, csrf: CsrfConfig, csrfCookie: string | null, nowMs: number): SessionHeaders {
  const setCookie = [savedSessionCookie(value, data, cookie, nowMs)];
  if (csrfCookie !== null) setCookie.push(csrfSetCookie(csrfCookie, csrf, nowMs));
  return { setCookie, vary: 'Cookie' };
}

/** The headers for an emptied session: the cookie deleted when the request sent one. */
export function emptiedHeaders(hadCookie: boolean, cookie: SessionCookieSettings): SessionHeaders {
  return { setCookie: hadCookie ? [sessionDeleteCookie(cookie)] : [], vary: 'Cookie' };
}
