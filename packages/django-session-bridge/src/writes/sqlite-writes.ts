import Sqlite from 'better-sqlite3';
import { sqliteError } from '../databases/sqlite-error.ts';
import { sqlitePath } from '../databases/url.ts';
import { formatNaiveDatetime } from '../django/index.ts';
import { sqliteIdent } from '../stores/sqlite-store.ts';
import { naiveDialectParts, type WriteDatabase, type WriteDatabaseOptions, type WriteTransaction } from './write-database.ts';

function statements(db: Sqlite.Database, options: WriteDatabaseOptions): WriteTransaction {
  const { sessions, users, naive } = naiveDialectParts(options, sqliteIdent);
  return {
    async insertSession(key, sessionData, expireDate) {
      const inserted = db.prepare(`INSERT INTO ${sessions} (session_key, session_data, expire_date) VALUES (?, ?, ?) ON CONFLICT (session_key) DO NOTHING`).run(key, sessionData, naive(expireDate));
      return inserted.changes === 1;
    },
    async updateSession(key, sessionData, expireDate) {
      return db.prepare(`UPDATE ${sessions} SET session_data = ?, expire_date = ? WHERE session_key = ?`).run(sessionData, naive(expireDate), key).changes === 1;
    },
    async deleteSession(key) {
      db.prepare(`DELETE FROM ${sessions} WHERE session_key = ?`).run(key);
    },
    async saveLastLogin(userId, now) {
      db.prepare(`UPDATE ${users} SET last_login = ? WHERE id = ?`).run(naive(now), userId);
    },
    async savePassword(userId, encoded) {
      db.prepare(`UPDATE ${users} SET password = ? WHERE id = ?`).run(encoded, userId);
    },
  };
}

/**
 * DATABASE_WRITE_URL on SQLite: Django's file opened for writing (it must exist), apart from the read side's
 * read-only handle. better-sqlite3 is synchronous, so transactions are taken one at a time: an awaited step
 * of one must never run inside another's BEGIN. Waiting for Django's write lock blocks the event loop, so it
 * is short; a lock held longer is an error (a 503), as on the read side.
 */
export function openSqliteWrites(options: WriteDatabaseOptions): WriteDatabase {
  const file = sqlitePath(options.url);
  let handle: Sqlite.Database | undefined;
  const connection = (): Sqlite.Database => {
    if (handle?.open) return handle;
    try {
      handle = new Sqlite(file, { fileMustExist: true, timeout: Math.min(options.timeoutMs, 250) });
    } catch (error) {
      throw sqliteError(file, error);
    }
    return handle;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };
  return {
    async loadSession(key, now) {
      const row = connection()
        .prepare<[string, string], { session_data: string }>(`SELECT session_data FROM ${sqliteIdent(options.sessionTable)} WHERE session_key = ? AND expire_date > ?`)
        .get(key, formatNaiveDatetime(now, options.naiveZone));
      return row?.session_data ?? null;
    },
    transaction: (work) => oneAtATime(async () => {
      const db = connection();
      // IMMEDIATE: the write lock is taken at BEGIN, so a busy database fails before anything is half done.
      db.prepare('BEGIN IMMEDIATE').run();
      try {
        const result = await work(statements(db, options));
        db.prepare('COMMIT').run();
        return result;
      } catch (error) {
        if (db.inTransaction) db.prepare('ROLLBACK').run();
        throw error;
      }
    }),
    async close() {
      await queue;
      handle?.close();
    },
  };
}
