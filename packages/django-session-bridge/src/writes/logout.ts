import { isSessionKey } from '../django/index.ts';
import { emptiedHeaders, type SessionHeaders } from './responses.ts';
import type { SessionWriter } from './session-writers.ts';
import type { SessionCookieSettings } from './settings.ts';

/**
 * django.contrib.auth.logout(request): session.flush() deletes the row under the cookie's key (the cache
 * entry; nothing for signed cookies), and SessionMiddleware deletes the cookie the request sent.
 */
export async function logout(writer: SessionWriter, cookie: SessionCookieSettings, cookieValue: string | undefined): Promise<SessionHeaders> {
  const key = cookieValue !== undefined && isSessionKey(cookieValue) ? cookieValue : null;
  await writer.remove(key);
  return emptiedHeaders(cookieValue !== undefined, cookie);
}
