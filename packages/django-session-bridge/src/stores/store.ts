import type { CachedSession } from '../django/index.ts';
import type { DjangoUser } from '../django/index.ts';

/** A django_session row: the signed session_data and its expiry. */
export interface SessionRow {
  sessionData: string;
  expireDate: Date;
}

/** A session read from Django's cache: the dict itself (not signed); the entry's TTL was its expiry. */
export interface CachedSessionEntry {
  cached: CachedSession;
}

/**
 * The two lookups on every request. Implementations read only, and let database errors escape: the caller
 * turns them into 503 rather than a verdict.
 */
export interface SessionStore {
  /** The session stored under a key: a django_session row, expired or not (the caller compares expire_date with its clock), or a cache entry. */
  findSession(sessionKey: string): Promise<SessionRow | CachedSessionEntry | null>;
  /** The user row for a primary key, or null when there is none. */
  findUser(id: bigint): Promise<DjangoUser | null>;
}
