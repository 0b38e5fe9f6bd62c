import type { DjangoUser } from 'django-session-bridge/django';
import type { CachedSessionEntry, SessionRow, SessionStore } from 'django-session-bridge';

/** One stored session, keyed: a django_session row, or a cache entry (the cache engine). */
export type SessionRecord = { sessionKey: string } & (SessionRow | CachedSessionEntry);

/** Loads the users with these ids (some may not exist) in one query. */
export type FindUsers = (ids: bigint[]) => Promise<DjangoUser[]>;

export interface BatchStore extends SessionStore {
  /** How many user queries were made, and the most ids one of them asked for. */
  userQueries(): { count: number; largest: number };
}

interface Waiting {
  resolve: (user: DjangoUser | null) => void;
  reject: (error: unknown) => void;
}

/**
 * The store session:stats decides a batch against: the batch's rows, already read, and users fetched in
 * one query per wave of lookups. The decisions of a batch run concurrently, so every findUser() made before
 * the event loop turns joins the same query. Users are kept for the batch's lifetime only.
 */
export function batchStore(rows: readonly SessionRecord[], findUsers: FindUsers): BatchStore {
  const sessions = new Map(
    rows.map((row): [string, SessionRow | CachedSessionEntry] => [row.sessionKey, 'cached' in row ? { cached: row.cached } : { sessionData: row.sessionData, expireDate: row.expireDate }]),
  );
  const users = new Map<bigint, Promise<DjangoUser | null>>();
  let waiting: Map<bigint, Waiting> | null = null;
  let queries = 0;
  let largest = 0;

  function flush(): void {
    const wave = waiting as Map<bigint, Waiting>;
    waiting = null;
    queries += 1;
    largest = Math.max(largest, wave.size);
    findUsers([...wave.keys()]).then(
      (found) => {
        const byId = new Map(found.map((user) => [user.id, user]));
        for (const [id, { resolve }] of wave) resolve(byId.get(id) ?? null);
      },
      (error: unknown) => {
        for (const { reject } of wave.values()) reject(error);
      },
    );
  }

  return {
    async findSession(sessionKey) {
      return sessions.get(sessionKey) ?? null;
    },
    findUser(id) {
      const known = users.get(id);
      if (known !== undefined) return known;
      if (waiting === null) {
        waiting = new Map();
        // After every pending decision has reached its own findUser(): one query for all of them.
        setImmediate(flush);
      }
      const wave = waiting;
      const user = new Promise<DjangoUser | null>((resolve, reject) => wave.set(id, { resolve, reject }));
      users.set(id, user);
      return user;
    },
    userQueries: () => ({ count: queries, largest }),
  };
}
