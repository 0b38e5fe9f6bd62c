import type pg from 'pg';
import {
  decodeSessionData,
  decodeSignedCookie,
  isSessionKey,
  SESSION_SALT,
  SIGNED_COOKIES_SALT,
  signObject,
  type DjangoSettings,
  type SessionDict,
} from '../django/index.ts';
import { pgIdent } from '../stores/sql-store.ts';
import { expiryAge, expiryDate } from './expiry.ts';
import type { SessionCacheClient } from './redis-writer.ts';
import { newSessionKey } from './session-key.ts';

/** The visitor's session as SessionStore loads it. */
export interface CurrentSession {
  /** session_key after load(): null when no session was found (Django then forgets the cookie's key). */
  key: string | null;
  data: SessionDict;
}

/** Work done in the same transaction as the session's own (last_login, the password). */
export type AlsoWrite = (client: pg.PoolClient) => Promise<void>;

/** Raised where Django raises SessionInterrupted: the session was deleted while this request ran. */
export class SessionInterruptedError extends Error {
  override name = 'SessionInterruptedError';
}

/** One session engine's load() and save(), each save in one transaction with the caller's other writes. */
export interface SessionWriter {
  load(cookie: string | undefined, nowMs: number): Promise<CurrentSession>;
  /** create() (cycle_key, or flush then save): a new key, `oldKey`'s row deleted. Returns the cookie's value. */
  saveNew(data: SessionDict, oldKey: string | null, nowMs: number, also?: AlsoWrite): Promise<string>;
  /** save() of a loaded session under its own key. Returns the cookie's value. */
  saveExisting(key: string, data: SessionDict, nowMs: number, also?: AlsoWrite): Promise<string>;
  /** flush() without a save: the row (if any) deleted. */
  remove(key: string | null, also?: AlsoWrite): Promise<void>;
}

async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** SessionBase.encode at `nowMs`: signing.dumps(session, salt=key_salt, serializer=JSONSerializer, compress=True). */
export function encodeSessionData(data: SessionDict, django: DjangoSettings, nowMs: number): string {
  return signObject(data, { key: django.secretKey, salt: SESSION_SALT, compress: true, timestamp: Math.floor(nowMs / 1000) });
}

function refusePickle(django: DjangoSettings): void {
  if (django.serializer === 'pickle') throw new Error('writing sessions with PickleSerializer is not supported: only JSONSerializer');
}

/** The db engine (django.contrib.sessions.backends.db) on the write role's pool. */
export function dbSessionWriter(pool: pg.Pool, sessionTable: string, django: DjangoSettings): SessionWriter {
  const table = pgIdent(sessionTable);
  return {
    async load(cookie, nowMs) {
      if (cookie === undefined || !isSessionKey(cookie)) return { key: null, data: {} };
      const result = await pool.query<{ session_data: string }>(`SELECT session_data FROM ${table} WHERE session_key = $1 AND expire_date > $2`, [cookie, new Date(nowMs)]);
      const row = result.rows[0];
      if (!row) return { key: null, data: {} };
      const decoded = decodeSessionData(row.session_data, django);
      // A row that does not decode is an empty session under the same key, as SessionBase.decode has it.
      return { key: cookie, data: decoded.ok ? { ...decoded.session } : {} };
    },
    async saveNew(data, oldKey, nowMs, also) {
      refusePickle(django);
      return transaction(pool, async (client) => {
        let key: string;
        // create(): a fresh key until one is not taken (INSERT … ON CONFLICT is save(must_create=True)).
        for (;;) {
          key = newSessionKey();
          const inserted = await client.query(
            `INSERT INTO ${table} (session_key, session_data, expire_date) VALUES ($1, $2, $3) ON CONFLICT (session_key) DO NOTHING`,
            [key, encodeSessionData(data, django, nowMs), expiryDate(data, django.sessionCookieAge, nowMs)],
          );
          if (inserted.rowCount === 1) break;
        }
        if (oldKey !== null) await client.query(`DELETE FROM ${table} WHERE session_key = $1`, [oldKey]);
        await also?.(client);
        return key;
      });
    },
    async saveExisting(key, data, nowMs, also) {
      refusePickle(django);
      return transaction(pool, async (client) => {
        const updated = await client.query(`UPDATE ${table} SET session_data = $2, expire_date = $3 WHERE session_key = $1`, [key, encodeSessionData(data, django, nowMs), expiryDate(data, django.sessionCookieAge, nowMs)]);
        if (updated.rowCount !== 1) throw new SessionInterruptedError('The request\'s session was deleted before the request completed.');
        await also?.(client);
        return key;
      });
    },
    async remove(key, also) {
      await transaction(pool, async (client) => {
        if (key !== null) await client.query(`DELETE FROM ${table} WHERE session_key = $1`, [key]);
        await also?.(client);
      });
    },
  };
}

/** The signed_cookies engine: the session is the cookie; only the user-table writes touch the database. */
export function signedCookieSessionWriter(pool: pg.Pool, django: DjangoSettings): SessionWriter {
  const sign = (data: SessionDict, nowMs: number): string =>
    signObject(data, { key: django.secretKey, salt: SIGNED_COOKIES_SALT, compress: true, timestamp: Math.floor(nowMs / 1000) });
  const also = async (write: AlsoWrite | undefined): Promise<void> => {
    if (write) await transaction(pool, write);
  };
  return {
    async load(cookie, nowMs) {
      if (cookie === undefined) return { key: null, data: {} };
      const decoded = decodeSignedCookie(cookie, django, nowMs / 1000);
      return decoded.ok ? { key: cookie, data: { ...decoded.session } } : { key: null, data: {} };
    },
    async saveNew(data, _oldKey, nowMs, write) {
      refusePickle(django);
      await also(write);
      return sign(data, nowMs);
    },
    async saveExisting(_key, data, nowMs, write) {
      refusePickle(django);
      await also(write);
      return sign(data, nowMs);
    },
    remove: (_key, write) => also(write),
  };
}

/** Where a cache-backed engine keeps its entries: the client and the full key of a session key. */
export interface SessionCacheTarget {
  cache: SessionCacheClient;
  keyOf(sessionKey: string): string;
}

// SessionStore.create()'s bound on key collisions before it gives up.
const MAX_CREATE_ATTEMPTS = 10_000;

/** The cache engine: the session is the cache entry; only the user-table writes touch the database. */
export function cacheSessionWriter(pool: pg.Pool, target: SessionCacheTarget, django: DjangoSettings): SessionWriter {
  const { cache, keyOf } = target;
  const ttl = (data: SessionDict, nowMs: number) => expiryAge(data, django.sessionCookieAge, nowMs);
  const also = async (write: AlsoWrite | undefined): Promise<void> => {
    if (write) await transaction(pool, write);
  };
  return {
    async load(cookie) {
      if (cookie === undefined || !isSessionKey(cookie)) return { key: null, data: {} };
      const data = await cache.get(keyOf(cookie));
      return data === null ? { key: null, data: {} } : { key: cookie, data };
    },
    async saveNew(data, oldKey, nowMs, write) {
      for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt += 1) {
        const key = newSessionKey();
        if (!(await cache.add(keyOf(key), data, ttl(data, nowMs)))) continue;
        if (oldKey !== null) await cache.delete(keyOf(oldKey));
        await also(write);
        return key;
      }
      throw new Error('Unable to create a new session key. It is likely that the cache is unavailable.');
    },
    async saveExisting(key, data, nowMs, write) {
      await cache.set(keyOf(key), data, ttl(data, nowMs));
      await also(write);
      return key;
    },
    async remove(key, write) {
      if (key !== null) await cache.delete(keyOf(key));
      await also(write);
    },
  };
}

/** The cached_db engine: the db engine's writes, then the cache entry set (or deleted) after each. */
export function cachedDbSessionWriter(pool: pg.Pool, sessionTable: string, target: SessionCacheTarget, django: DjangoSettings): SessionWriter {
  const db = dbSessionWriter(pool, sessionTable, django);
  const { cache, keyOf } = target;
  const ttl = (data: SessionDict, nowMs: number) => expiryAge(data, django.sessionCookieAge, nowMs);
  return {
    async load(cookie, nowMs) {
      if (cookie === undefined || !isSessionKey(cookie)) return { key: null, data: {} };
      const cached = await cache.get(keyOf(cookie));
      return cached === null ? db.load(cookie, nowMs) : { key: cookie, data: cached };
    },
    async saveNew(data, oldKey, nowMs, write) {
      const key = await db.saveNew(data, oldKey, nowMs, write);
      await cache.set(keyOf(key), data, ttl(data, nowMs));
      if (oldKey !== null) await cache.delete(keyOf(oldKey));
      return key;
    },
    async saveExisting(key, data, nowMs, write) {
      await db.saveExisting(key, data, nowMs, write);
      await cache.set(keyOf(key), data, ttl(data, nowMs));
      return key;
    },
    async remove(key, write) {
      await db.remove(key, write);
      if (key !== null) await cache.delete(keyOf(key));
    },
  };
}
