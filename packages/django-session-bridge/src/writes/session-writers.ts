import { decodeSessionData, decodeSignedCookie, isSessionKey, SIGNED_COOKIES_SALT, type DjangoSettings, type SessionDict } from '../django/index.ts';
import { expiryAge, expiryDate } from './expiry.ts';
import type { SessionCacheClient } from './redis-writer.ts';
import { carriedData, encodeSessionData } from './session-encoding.ts';
import { newSessionKey } from './session-key.ts';
import type { WriteDatabase, WriteTransaction } from './write-database.ts';

/** The visitor's session as SessionStore loads it. */
export interface CurrentSession {
  /** session_key after load(): null when no session was found (Django then forgets the cookie's key). */
  key: string | null;
  data: SessionDict;
}

/** Work done in the same transaction as the session's own (last_login, the password). */
export type AlsoWrite = (tx: WriteTransaction) => Promise<void>;

/** Raised where Django raises SessionInterrupted (a 400): the session was deleted while this request ran. */
export class SessionInterruptedError extends Error {
  override name = 'SessionInterruptedError';
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
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

/** The db engine (django.contrib.sessions.backends.db) through the write role. */
export function dbSessionWriter(db: WriteDatabase, django: DjangoSettings): SessionWriter {
  const expiry = (data: SessionDict, nowMs: number) => expiryDate(data, django.sessionCookieAge, nowMs);
  return {
    async load(cookie, nowMs) {
      if (cookie === undefined || !isSessionKey(cookie)) return { key: null, data: {} };
      const sessionData = await db.loadSession(cookie, new Date(nowMs));
      if (sessionData === null) return { key: null, data: {} };
      // A row that does not decode is an empty session under the same key, as SessionBase.decode has it.
      return { key: cookie, data: carriedData(decodeSessionData(sessionData, django), django) };
    },
    async saveNew(data, oldKey, nowMs, also) {
      const encoded = encodeSessionData(data, django, nowMs);
      return db.transaction(async (tx) => {
        let key: string;
        // create(): a fresh key until one is not taken (save(must_create=True)).
        do key = newSessionKey();
        while (!(await tx.insertSession(key, encoded, expiry(data, nowMs))));
        if (oldKey !== null) await tx.deleteSession(oldKey);
        await also?.(tx);
        return key;
      });
    },
    async saveExisting(key, data, nowMs, also) {
      const encoded = encodeSessionData(data, django, nowMs);
      return db.transaction(async (tx) => {
        if (!(await tx.updateSession(key, encoded, expiry(data, nowMs)))) throw new SessionInterruptedError('The request\'s session was deleted before the request completed.');
        await also?.(tx);
        return key;
      });
    },
    async remove(key, also) {
      await db.transaction(async (tx) => {
        if (key !== null) await tx.deleteSession(key);
        await also?.(tx);
      });
    },
  };
}

/** The user-table writes of an engine that keeps no session in the database, each in a transaction of its own. */
function userWritesOnly(db: WriteDatabase): (write: AlsoWrite | undefined) => Promise<void> {
  return async (write) => {
    if (write) await db.transaction(write);
  };
}

/** The signed_cookies engine: the session is the cookie; only the user-table writes touch the database. */
export function signedCookieSessionWriter(db: WriteDatabase, django: DjangoSettings): SessionWriter {
  const sign = (data: SessionDict, nowMs: number): string => encodeSessionData(data, django, nowMs, SIGNED_COOKIES_SALT);
  const also = userWritesOnly(db);
  return {
    async load(cookie, nowMs) {
      if (cookie === undefined) return { key: null, data: {} };
      const decoded = decodeSignedCookie(cookie, django, nowMs / 1000);
      return decoded.ok ? { key: cookie, data: carriedData(decoded, django) } : { key: null, data: {} };
    },
    async saveNew(data, _oldKey, nowMs, write) {
      await also(write);
      return sign(data, nowMs);
    },
    async saveExisting(_key, data, nowMs, write) {
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
export function cacheSessionWriter(db: WriteDatabase, target: SessionCacheTarget, django: DjangoSettings): SessionWriter {
  const { cache, keyOf } = target;
  const ttl = (data: SessionDict, nowMs: number) => expiryAge(data, django.sessionCookieAge, nowMs);
  const also = userWritesOnly(db);
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
export function cachedDbSessionWriter(database: WriteDatabase, target: SessionCacheTarget, django: DjangoSettings): SessionWriter {
  const db = dbSessionWriter(database, django);
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
