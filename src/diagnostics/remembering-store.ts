import type { DjangoUser } from 'django-session-bridge/django';
import type { SessionStore } from 'django-session-bridge';

/**
 * A store that asks the one it wraps at most once per session key and per user id. Explaining a session runs
 * the decision several times (as configured, then with keys added or removed): every run must see the same
 * rows, and the database is asked each question once.
 */
export function rememberingStore(store: SessionStore): SessionStore {
  const sessions = new Map<string, ReturnType<SessionStore['findSession']>>();
  const users = new Map<bigint, Promise<DjangoUser | null>>();
  return {
    findSession(sessionKey) {
      let row = sessions.get(sessionKey);
      if (row === undefined) {
        row = store.findSession(sessionKey);
        sessions.set(sessionKey, row);
      }
      return row;
    },
    findUser(id) {
      let user = users.get(id);
      if (user === undefined) {
        user = store.findUser(id);
        users.set(id, user);
      }
      return user;
    },
  };
}
