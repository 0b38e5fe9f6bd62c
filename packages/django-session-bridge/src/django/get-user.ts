import { sessionAuthHash } from './auth-hash.ts';
import { constantTimeEquals } from './crypto.ts';
import type { Reason } from './reasons.ts';
import type { SessionDict } from './session-data.ts';
import type { DjangoSettings } from './settings.ts';
import { parseUserId } from './user-id.ts';

/** The session key of the user's primary key (django.contrib.auth.SESSION_KEY). */
export const SESSION_KEY = '_auth_user_id';
/** The session key of the backend's dotted path (django.contrib.auth.BACKEND_SESSION_KEY). */
export const BACKEND_SESSION_KEY = '_auth_user_backend';
/** The session key of the session auth hash (django.contrib.auth.HASH_SESSION_KEY). */
export const HASH_SESSION_KEY = '_auth_user_hash';

// The backends whose get_user() skips ModelBackend.user_can_authenticate (the is_active check).
const ALLOW_INACTIVE_BACKENDS = new Set([
  'django.contrib.auth.backends.AllowAllUsersModelBackend',
  'django.contrib.auth.backends.AllowAllUsersRemoteUserBackend',
]);

/** The fields of the user row the decision and the pages need. */
export interface DjangoUser {
  id: bigint;
  password: string;
  isActive: boolean;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** First half of get_user(): which user the session names, before any database lookup. */
export type UserLookup =
  | { kind: 'lookup'; userId: bigint; backend: string }
  | { kind: 'anonymous'; reason: Reason };

/** get_user() up to the database: whether the session names a user, and under which allowed backend. */
export function userLookup(session: SessionDict, settings: DjangoSettings): UserLookup {
  if (!(SESSION_KEY in session) || !(BACKEND_SESSION_KEY in session)) return { kind: 'anonymous', reason: 'anonymous' };
  const userId = parseUserId(session[SESSION_KEY]);
  if (userId === null) return { kind: 'anonymous', reason: 'bad_user_id' };
  const backend = session[BACKEND_SESSION_KEY];
  if (typeof backend !== 'string' || !settings.authenticationBackends.includes(backend)) {
    return { kind: 'anonymous', reason: 'backend_not_allowed' };
  }
  if (userId === 'none') return { kind: 'anonymous', reason: 'no_user' };
  return { kind: 'lookup', userId, backend };
}

/** Python's bool() of a JSON value. */
function pythonTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** get_user()'s outcome: the logged-in user, or why the visitor is anonymous. */
export type Verdict =
  | { loggedIn: true; reason: Extract<Reason, `logged_in${string}`>; user: DjangoUser }
  | { loggedIn: false; reason: Reason; user: null };

/** An anonymous verdict with its reason. */
export function anonymous(reason: Reason): Verdict {
  return { loggedIn: false, reason, user: null };
}

/** Second half of get_user(): the backend's is_active rule, then the session auth hash. */
export function verdictFor(session: SessionDict, backend: string, user: DjangoUser | null, settings: DjangoSettings): Verdict {
  if (user === null) return anonymous('no_user');
  if (!user.isActive && !ALLOW_INACTIVE_BACKENDS.has(backend)) return anonymous('inactive');

  const sessionHash = session[HASH_SESSION_KEY];
  if (!pythonTruthy(sessionHash)) return anonymous('no_hash');
  // A hash that is not a string (Django compares its str()) can never equal a hex digest.
  if (typeof sessionHash !== 'string') return anonymous('hash_mismatch');
  if (constantTimeEquals(sessionHash, sessionAuthHash(user.password, settings.secretKey))) {
    return { loggedIn: true, reason: 'logged_in', user };
  }
  if (settings.acceptLegacy && constantTimeEquals(sessionHash, sessionAuthHash(user.password, settings.secretKey, 'sha1'))) {
    return { loggedIn: true, reason: 'logged_in_legacy_hash', user };
  }
  // Django then rotates the session to the current key's hash; we only read, so the visitor stays
  // logged in under the fallback until Django's next response rewrites the session.
  for (const fallback of settings.secretKeyFallbacks) {
    if (constantTimeEquals(sessionHash, sessionAuthHash(user.password, fallback))) {
      return { loggedIn: true, reason: 'logged_in_fallback_key', user };
    }
  }
  return anonymous('hash_mismatch');
}
