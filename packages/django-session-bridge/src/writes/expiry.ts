import type { SessionDict } from '../django/index.ts';

// A bare ISO date-time as datetime.fromisoformat reads what set_expiry() stored (UTC offset included).
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}:\d{2})?$/;

function expiryOf(session: SessionDict): number | Date | null {
  const expiry = session._session_expiry;
  if (typeof expiry === 'number' && expiry !== 0) return expiry;
  if (typeof expiry === 'string' && ISO.test(expiry)) return new Date(expiry.replace(' ', 'T'));
  return null;
}

/** SessionBase.get_expiry_age(): seconds from now, set_expiry()'s value or SESSION_COOKIE_AGE. */
export function expiryAge(session: SessionDict, cookieAge: number, nowMs: number): number {
  const expiry = expiryOf(session);
  if (expiry === null) return cookieAge;
  if (typeof expiry === 'number') return expiry;
  return Math.floor((expiry.getTime() - nowMs) / 1000);
}

/** SessionBase.get_expiry_date(): what the db engine stores in expire_date. */
export function expiryDate(session: SessionDict, cookieAge: number, nowMs: number): Date {
  const expiry = expiryOf(session);
  if (expiry instanceof Date) return expiry;
  return new Date(nowMs + (expiry ?? cookieAge) * 1000);
}

/** SessionBase.get_expire_at_browser_close(): set_expiry(0), or SESSION_EXPIRE_AT_BROWSER_CLOSE when unset. */
export function expiresAtBrowserClose(session: SessionDict, setting: boolean): boolean {
  const expiry = session._session_expiry;
  return expiry === undefined || expiry === null ? setting : expiry === 0;
}
