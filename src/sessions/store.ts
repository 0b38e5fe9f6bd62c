import type { DjangoUser } from '../django/get-user.ts';

export interface SessionRow {
  sessionData: string;
  expireDate: Date;
}

/**
 * The two lookups on every request. Implementations read only, and let database errors escape: the caller
 * turns them into 503 rather than a verdict.
 */
export interface SessionStore {
  /** The django_session row for a key, expired or not (the caller compares expire_date with its clock). */
  findSession(sessionKey: string): Promise<SessionRow | null>;
  /** The user row for a primary key, or null when there is none. */
  findUser(id: bigint): Promise<DjangoUser | null>;
}
