import type { DjangoConfig } from '../config/settings.ts';
import {
  BACKEND_SESSION_KEY,
  constantTimeEquals,
  HASH_SESSION_KEY,
  maskCipherSecret,
  randomCsrfString,
  SESSION_KEY,
  sessionAuthHash,
  type DjangoUser,
  type SessionDict,
} from '../django/index.ts';
import { savedHeaders, type SessionHeaders } from './responses.ts';
import type { AlsoWrite, CurrentSession, SessionWriter } from './session-writers.ts';
import type { SessionCookieSettings } from './settings.ts';

/** What login() leaves: the new session's cookie value, and the response headers. */
export interface LoginOutcome extends SessionHeaders {
  /** The session cookie's new value (the session key, or the signed cookie). Never log it. */
  sessionKey: string;
}

/** The parts of the configuration login() reads. */
export interface LoginContext {
  config: DjangoConfig;
  cookie: SessionCookieSettings;
  writer: SessionWriter;
}

// _get_user_session_key: the AutoField's to_python(session[SESSION_KEY]); anything else cannot be this user.
function sessionUserId(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value !== 'string' || !/^\s*[+-]?\d{1,20}\s*$/.test(value)) return null;
  return BigInt(value.trim().replace(/^\+/, ''));
}

/** csrf.rotate_token: a new secret, as the cookie (or CSRF_USE_SESSIONS's _csrftoken) will hold it. */
function newCsrfValue(config: DjangoConfig): string {
  return config.csrf.before40 ? maskCipherSecret(randomCsrfString(), randomCsrfString()) : randomCsrfString();
}

/** login()'s changes to the loaded session: the dict to save, and whether it keeps its key (same user, same hash). */
export function loginSessionData(current: CurrentSession, user: DjangoUser, backend: string, secretKey: string): { data: SessionDict; keepKey: boolean } {
  const authHash = sessionAuthHash(user.password, secretKey);
  let data: SessionDict = current.data;
  let keepKey = false;
  if (SESSION_KEY in data) {
    const storedHash = typeof data[HASH_SESSION_KEY] === 'string' ? (data[HASH_SESSION_KEY] as string) : '';
    if (sessionUserId(data[SESSION_KEY]) !== user.id || !constantTimeEquals(storedHash, authHash)) {
      data = {};
    } else {
      keepKey = current.key !== null;
    }
  }
  data[SESSION_KEY] = user.id.toString();
  data[BACKEND_SESSION_KEY] = backend;
  data[HASH_SESSION_KEY] = authHash;
  return { data, keepKey };
}

/**
 * django.contrib.auth.login(request, user, backend), then what SessionMiddleware and CsrfViewMiddleware do
 * with the response: another user's session (or one whose hash no longer matches) is flushed, any other
 * session cycles to a new key (the old row deleted), the three auth keys are set, the CSRF token rotates,
 * last_login is updated and the session saved, all in one transaction.
 */
export async function login(context: LoginContext, cookieValue: string | undefined, user: DjangoUser, backend: string): Promise<LoginOutcome> {
  const { config, writer } = context;
  const nowMs = Date.now();
  const current = await writer.load(cookieValue, nowMs);
  const { data, keepKey } = loginSessionData(current, user, backend, config.django.secretKey);
  const csrfValue = newCsrfValue(config);
  if (config.csrf.useSessions) data._csrftoken = csrfValue;
  const alsoWrite: AlsoWrite = (tx) => tx.saveLastLogin(user.id, new Date(nowMs));
  const sessionKey = keepKey && current.key !== null
    ? await writer.saveExisting(current.key, data, nowMs, alsoWrite)
    : await writer.saveNew(data, current.key, nowMs, alsoWrite);
  const headers = savedHeaders(sessionKey, data, context.cookie, config.csrf, config.csrf.useSessions ? null : csrfValue, nowMs);
  return { sessionKey, ...headers };
}
