// The write side: log in, log out and change a password exactly as Django does, through a role of its own.
import type { DjangoConfig } from '../config/settings.ts';
import { publicUser, type PublicUser } from '../auth/user.ts';
import { sessionCookieOf, type AuthInput } from '../auth/request-cookie.ts';
import { DjangoAuthUnavailableError } from '../auth/unavailable.ts';
import type { DjangoDatabase } from '../databases/open.ts';
import { withinDeadline } from '../deadline.ts';
import { CacheUnavailableError } from '../stores/session-cache.ts';
import { sessionCacheKey, type CacheEngine, type DjangoUser } from '../django/index.ts';
import { changePassword, type PasswordChangeOutcome } from './change-password.ts';
import { authenticateCredentials } from './check-credentials.ts';
import { login, type LoginOutcome } from './login.ts';
import { logout } from './logout.ts';
import type { SessionHeaders } from './responses.ts';
import type { SessionCacheClient } from './redis-writer.ts';
import { cachedDbSessionWriter, cacheSessionWriter, dbSessionWriter, SessionInterruptedError, signedCookieSessionWriter, type SessionCacheTarget, type SessionWriter } from './session-writers.ts';
import { WritesDisabledError, type WriteSettings } from './settings.ts';
import { PASSWORD_CHECK_SLOTS, taskSlots } from './task-slots.ts';
import { userReads, type UserReads } from './user-reads.ts';
import { openWriteDatabase, writeDatabaseOptions, type WriteDatabase } from './write-database.ts';

export { PASSWORD_CHANGE_ERRORS, type PasswordChangeOutcome } from './change-password.ts';
export type { LoginOutcome } from './login.ts';
export type { SessionHeaders } from './responses.ts';
export { SessionInterruptedError } from './session-writers.ts';
export { resolveWriteSettings, writeOptionsFromEnv, WritesDisabledError, type SessionCookieSettings, type WriteOptions, type WriteSettings } from './settings.ts';

/** A user checkCredentials() accepted: the public fields, and the backend login() records. */
export interface CredentialedUser extends PublicUser {
  readonly backend: string;
}

/** The new passwords of changePassword(), as PasswordChangeForm's fields. */
export interface PasswordChange {
  oldPassword: string;
  newPassword1: string;
  newPassword2: string;
}

/** Django's authenticate(), login(), logout() and password change, on a DjangoAuth. */
export interface DjangoAuthWrites {
  /** authenticate(username=…, password=…) with ModelBackend: the user, or null. Upgrades an outdated hash. */
  checkCredentials(username: string, password: string): Promise<CredentialedUser | null>;
  /** login(request, user): saves the session and returns the Set-Cookie and Vary headers to send. */
  login(input: AuthInput, user: CredentialedUser): Promise<LoginOutcome>;
  /** logout(request): deletes the session and returns the headers that delete its cookie. */
  logout(input: AuthInput): Promise<SessionHeaders>;
  /** PasswordChangeForm + update_session_auth_hash for the logged-in visitor; rejects when no one is. */
  changePassword(input: AuthInput, passwords: PasswordChange): Promise<PasswordChangeOutcome>;
}

/** Thrown by changePassword() when the request has no logged-in visitor (a view would be login_required). */
export class NotLoggedInError extends Error {
  override name = 'NotLoggedInError';
  constructor() {
    super('changePassword() needs a logged-in visitor (login_required)');
  }
}

// What this library throws on purpose; anything else a write meets is its database or cache failing.
const OWN_ERRORS = [WritesDisabledError, SessionInterruptedError, NotLoggedInError, DjangoAuthUnavailableError, TypeError];

/**
 * The session cache client, each call bounded by `timeoutMs` (a client still connecting would wait for ever)
 * and its failures marked as the cache's (a 503 whose source is `cache`).
 */
function cacheFailuresMarked(client: SessionCacheClient, timeoutMs: number): SessionCacheClient {
  const marked = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await withinDeadline(call(...args), timeoutMs);
    } catch (error) {
      throw new CacheUnavailableError(error);
    }
  };
  return {
    get: marked(client.get),
    add: marked(client.add),
    set: marked(client.set),
    delete: marked(client.delete),
    close: () => client.close(),
  };
}

/** What the write side borrows from its DjangoAuth. */
export interface WritesHost {
  config: DjangoConfig;
  settings: WriteSettings;
  /** A failure of the database or the cache as the 503 the read side answers (reported, then thrown). */
  unavailable(error: unknown): never;
  /** The read side's database: user rows are read there, read-only. */
  readDatabase(): Promise<DjangoDatabase>;
  /** The id of the user logged in on this request (Django's get_user), or null. */
  loggedInUserId(input: AuthInput): Promise<bigint | null>;
}

/** The write side of a DjangoAuth, with its own connection opened on first use; `close` ends it. */
export function createWrites(host: WritesHost): DjangoAuthWrites & { close(): Promise<void> } {
  const { config, settings } = host;
  const rows = new WeakMap<CredentialedUser, DjangoUser>();
  const hashing = taskSlots(PASSWORD_CHECK_SLOTS);
  // The driver and the cache client load on the first write, as the read side loads its own: an app that
  // never writes, or writes to another engine, needs neither installed.
  let database: Promise<WriteDatabase> | undefined;
  let cacheClient: Promise<SessionCacheClient> | undefined;

  async function open(what: string): Promise<{ db: WriteDatabase; writer: SessionWriter }> {
    const url = settings.url;
    if (url === undefined) throw new WritesDisabledError(what);
    database ??= openWriteDatabase(writeDatabaseOptions(url, config)).catch((error: unknown) => {
      database = undefined;
      throw error;
    });
    const db = await database;
    switch (config.sessionEngine) {
      case 'db':
        return { db, writer: dbSessionWriter(db, config.django) };
      case 'signed_cookies':
        return { db, writer: signedCookieSessionWriter(db, config.django) };
      case 'cache':
        return { db, writer: cacheSessionWriter(db, await cacheTarget('cache', what), config.django) };
      case 'cached_db':
        return { db, writer: cachedDbSessionWriter(db, await cacheTarget('cached_db', what), config.django) };
    }
  }

  // Bounded as the read side bounds its lookups: MySQL's read pool has no query timeout of its own.
  const userTable = async (): Promise<UserReads> => {
    const reads = userReads(await host.readDatabase(), config.userTable);
    return {
      byNaturalKey: (field, username) => withinDeadline(reads.byNaturalKey(field, username), config.dbTimeoutMs),
      byId: (id) => withinDeadline(reads.byId(id), config.dbTimeoutMs),
    };
  };

  async function cacheTarget(engine: CacheEngine, what: string): Promise<SessionCacheTarget> {
    const { cache } = config;
    if (cache === undefined) throw new Error(`${what} with SESSION_ENGINE "${engine}" needs the session cache's URL (cacheUrl)`);
    cacheClient ??= (cache.kind === 'redis'
      ? import('./redis-writer.ts').then((module) => module.openRedisSessionCache(cache, config.djangoVersion, config.dbTimeoutMs, config.django.maxSessionBytes))
      : import('./memcached-writer.ts').then((module) => module.openMemcachedSessionCache(cache, config.dbTimeoutMs, config.django.maxSessionBytes))
    ).then((client) => cacheFailuresMarked(client, config.dbTimeoutMs));
    return { cache: await cacheClient, keyOf: (key) => sessionCacheKey(engine, key, cache) };
  }

  const cookieOf = (input: AuthInput): string | undefined => sessionCookieOf(input, config.sessionCookieName);

  // Each operation's driver failures (down, refused, timed out, refused by a grant) are a 503, as on the read side.
  const guarded = <A extends unknown[], R>(operation: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await operation(...args);
    } catch (error) {
      if (OWN_ERRORS.some((own) => error instanceof own)) throw error;
      return host.unavailable(error);
    }
  };

  const writes: DjangoAuthWrites = {
    async checkCredentials(username, password) {
      const { db } = await open('checkCredentials()');
      const context = { users: await userTable(), writes: db, usernameField: settings.usernameField, hashers: settings.hashers, backends: config.django.authenticationBackends };
      const found = await hashing(() => authenticateCredentials(context, username, password));
      if (found === null) return null;
      const user: CredentialedUser = Object.freeze({ ...publicUser(found.user), backend: found.backend });
      rows.set(user, found.user);
      return user;
    },
    async login(input, user) {
      const { writer } = await open('login()');
      const row = rows.get(user);
      if (row === undefined) throw new TypeError('login() takes a user returned by checkCredentials()');
      return login({ config, cookie: settings.cookie, writer }, cookieOf(input), row, user.backend);
    },
    async logout(input) {
      const { writer } = await open('logout()');
      return logout(writer, settings.cookie, cookieOf(input));
    },
    async changePassword(input, passwords) {
      const { writer } = await open('changePassword()');
      const id = await host.loggedInUserId(input);
      const user = id === null ? null : await (await userTable()).byId(id);
      if (user === null) throw new NotLoggedInError();
      return hashing(() => changePassword({ config, cookie: settings.cookie, writer, hashers: settings.hashers }, cookieOf(input), user, passwords));
    },
  };
  return {
    checkCredentials: guarded(writes.checkCredentials),
    login: guarded(writes.login),
    logout: guarded(writes.logout),
    changePassword: guarded(writes.changePassword),
    async close() {
      const opened = [database, cacheClient].map((pending) => pending?.then((client) => client.close(), () => undefined));
      await Promise.all(opened);
      database = undefined;
      cacheClient = undefined;
    },
  };
}
