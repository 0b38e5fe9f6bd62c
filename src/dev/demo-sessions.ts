// THE ONLY CODE IN THIS REPOSITORY THAT WRITES SESSIONS (with demo-database.ts and demo-users.ts, the only
// code that writes at all), and only to the embedded demo database: it is built from a DemoDatabase, which
// only openDemoDatabase() makes and only `npm run dev` without DATABASE_URL opens. The service itself
// reads Django's tables and never writes to them.
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { sessionAuthHash } from 'django-session-bridge/django';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from 'django-session-bridge/django';
import { isSessionKey } from 'django-session-bridge/django';
import { SESSION_SALT } from 'django-session-bridge/django';
import { signObject } from 'django-session-bridge/django';
import type { DemoDatabase } from './demo-database.ts';

const SESSION_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface DemoSessionSettings {
  secretKey: string;
  /** The backend Django's login() records: the first of AUTHENTICATION_BACKENDS. */
  backend: string;
  /** SESSION_COOKIE_AGE in seconds: the row's expire_date. */
  cookieAge: number;
}

export interface DemoAccount {
  username: string;
  isActive: boolean;
}

export interface DemoSessions {
  /** The users in the demo database, to offer as log-in links. */
  accounts(): Promise<DemoAccount[]>;
  /**
   * django.contrib.auth.login(): a new session naming the user, replacing the visitor's previous session as
   * cycle_key() does. Returns the new session key (the cookie value), or null when there is no such user.
   */
  logIn(username: string, previousKey: string | undefined): Promise<string | null>;
  /** django.contrib.auth.logout(): session.flush() deletes the row. */
  logOut(sessionKey: string | undefined): Promise<void>;
  close(): Promise<void>;
}

/** SessionBase._get_new_session_key(): get_random_string(32, lowercase letters and digits). */
function newSessionKey(): string {
  return Array.from({ length: 32 }, () => SESSION_KEY_CHARS[randomInt(SESSION_KEY_CHARS.length)]).join('');
}

export function createDemoSessions(demo: DemoDatabase, settings: DemoSessionSettings): DemoSessions {
  const pool = new pg.Pool({ connectionString: demo.url, max: 2 });
  // An idle connection dropped by the server (it is stopping) is replaced on next use.
  pool.on('error', () => {});

  async function deleteSession(sessionKey: string | undefined): Promise<void> {
    if (sessionKey !== undefined && isSessionKey(sessionKey)) {
      await pool.query('DELETE FROM django_session WHERE session_key = $1', [sessionKey]);
    }
  }

  return {
    async accounts() {
      const result = await pool.query<{ username: string; is_active: boolean }>('SELECT username, is_active FROM auth_user ORDER BY id');
      return result.rows.map((row) => ({ username: row.username, isActive: row.is_active }));
    },

    async logIn(username, previousKey) {
      const found = await pool.query<{ id: number; password: string }>('SELECT id, password FROM auth_user WHERE username = $1', [username]);
      const user = found.rows[0];
      if (!user) return null;
      const session = {
        [SESSION_KEY]: String(user.id),
        [BACKEND_SESSION_KEY]: settings.backend,
        [HASH_SESSION_KEY]: sessionAuthHash(user.password, settings.secretKey),
      };
      const sessionData = signObject(session, { key: settings.secretKey, salt: SESSION_SALT, compress: true });
      const expireDate = new Date(Date.now() + settings.cookieAge * 1000);
      await deleteSession(previousKey);
      // SessionStore.create(): draw keys until one is not taken.
      for (;;) {
        const sessionKey = newSessionKey();
        const inserted = await pool.query(
          'INSERT INTO django_session (session_key, session_data, expire_date) VALUES ($1, $2, $3) ON CONFLICT (session_key) DO NOTHING',
          [sessionKey, sessionData, expireDate],
        );
        if (inserted.rowCount === 1) return sessionKey;
      }
    },

    logOut: deleteSession,

    close: () => pool.end(),
  };
}
