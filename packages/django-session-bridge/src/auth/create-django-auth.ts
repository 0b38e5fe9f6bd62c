import type pg from 'pg';
import { anonymous, type Reason, type SessionDict } from '../django/index.ts';
import { resolveSettings, type DjangoSettingsOptions } from '../config/options.ts';
import type { DjangoConfig } from '../config/settings.ts';
import { withinDeadline } from '../deadline.ts';
import { openDatabase, type DjangoDatabase } from '../databases/open.ts';
import type { Authenticate } from '../stores/authenticate.ts';
import type { LoadPermissions } from '../stores/permission-query.ts';
import { NO_SUCH_KEY } from '../stores/probe.ts';
import type { ReadSource } from '../stores/read-routing.ts';
import type { Replica } from '../stores/replica.ts';
import { permissionsFromReplica } from '../stores/replica-permissions.ts';
import { CacheUnavailableError, type SessionCache } from '../stores/session-cache.ts';
import type { SessionStore } from '../stores/store.ts';
import { djangoTables, type DjangoTables } from '../stores/tables.ts';
import { databasePermissions, databaseStore, engineStore, lookupsFor, openSessionCache, withDecisionCache } from './lookups.ts';
import { sessionCookieOf, type AuthInput } from './request-cookie.ts';
import { DjangoAuthUnavailableError } from './unavailable.ts';
import { createWrites, resolveWriteSettings, type DjangoAuthWrites, type WriteOptions } from '../writes/index.ts';
import { DjangoRequestUser, type BridgeUser, type PermissionOptions } from './user.ts';

/** Hooks for metrics and logs; none may throw. */
export interface DjangoAuthEvents {
  /** Every verdict, by its reason code. */
  onVerdict?(reason: Reason): void;
  /** Every lookup that failed as unavailable (before authenticate() or a permission method rejects with it). */
  onUnavailable?(error: DjangoAuthUnavailableError): void;
  /** With a replica: who answered each verdict that needed a lookup. */
  onReadSource?(source: ReadSource): void;
}

/** Where the lookups read, when not from the settings' URLs alone. */
export interface DjangoAuthSources {
  /** An open PostgreSQL pool to read through, instead of one opened from databaseUrl; its owner ends it. */
  pool?: pg.Pool;
  /** An open database (openDatabase()), instead of databaseUrl; its owner closes it. */
  database?: DjangoDatabase;
  /** Your own SessionStore (e.g. over Prisma), instead of the database's SQL; `permissions` goes with it. */
  store?: SessionStore;
  /** Your own permission loader, with `store`; else the database's. */
  permissions?: LoadPermissions;
  /** The table names, when they differ from Django's for authUserModel/userTable. */
  tables?: DjangoTables;
  /** An open read replica (openReplica()), instead of replicaUrl; its owner closes it. */
  replica?: Replica;
  /** An open session cache client, instead of cacheUrl; its owner closes it. */
  cache?: SessionCache;
  /** Replaces the uncached lookups (the benchmark's seam); the decision cache and deadline still apply. */
  lookups?: Authenticate;
  events?: DjangoAuthEvents;
}

/** createDjangoAuth's options: Django's settings, and where to read them from. */
export interface DjangoAuthOptions extends DjangoSettingsOptions, DjangoAuthSources, WriteOptions {}

/** Who the visitor is, as Django's request.user would say. */
export interface DjangoVerdict {
  loggedIn: boolean;
  /** Why: one of the reason codes (REASONS). */
  reason: Reason;
  /** The logged-in user, or null for an anonymous visitor. */
  user: BridgeUser | null;
  /** The decoded session, when there was a valid one (CSRF_USE_SESSIONS reads its _csrftoken); else null. */
  session: SessionDict | null;
  /** The session cookie's value, when the request had one. Never log it. */
  sessionKey: string | undefined;
}

/** Django's verdict on any request, with what the checks need; create one per app and close it at shut-down. */
export interface DjangoAuth extends DjangoAuthWrites {
  /** The settings in force, Django's defaults filled in. */
  readonly config: DjangoConfig;
  /**
   * Who is logged in. Bad input of any kind is an anonymous verdict; a database or cache that does not
   * answer within timeoutMs rejects with DjangoAuthUnavailableError (status 503).
   */
  authenticate(input: AuthInput): Promise<DjangoVerdict>;
  /** Makes the lookups a request makes, on a key and an id no one has: rejects when they would fail. */
  ping(): Promise<void>;
  /** Closes what this instance opened (pools, cache clients, the replica's watch). */
  close(): Promise<void>;
}

interface Opened {
  database: DjangoDatabase | undefined;
  decide: Authenticate;
  lookups: Authenticate;
  store: SessionStore;
  permissions: LoadPermissions;
  close(): Promise<void>;
}

async function openDefault(config: DjangoConfig, options: DjangoAuthSources): Promise<{ database: DjangoDatabase | undefined; close: () => Promise<void> }> {
  if (options.database) return { database: options.database, close: async () => {} };
  if (options.pool) {
    const { createPostgresDatabase } = await import('../databases/postgresql.ts');
    return { database: createPostgresDatabase({ url: '', poolMax: 0, timeoutMs: config.dbTimeoutMs }, options.pool), close: async () => {} };
  }
  if (config.databaseUrl === undefined) return { database: undefined, close: async () => {} };
  const database = await openDatabase({ url: config.databaseUrl, poolMax: config.dbPoolMax, timeoutMs: config.dbTimeoutMs });
  return { database, close: () => database.close() };
}

async function open(config: DjangoConfig, options: DjangoAuthSources): Promise<Opened> {
  const closers: (() => Promise<void>)[] = [];
  try {
    const { database, close } = await openDefault(config, options);
    closers.push(close);
    if (!database && !options.store) throw new Error('createDjangoAuth needs databaseUrl, pool, database or store');
    const cache = options.cache ?? (await openSessionCache(config));
    if (cache && !options.cache) closers.push(() => cache.close());
    let replica = options.replica;
    if (!replica && config.databaseReplicaUrl !== undefined) {
      const { openReplica } = await import('../stores/replica.ts');
      const opened = openReplica({ url: config.databaseReplicaUrl, maxLagMs: config.databaseReplicaMaxLagMs, dbTimeoutMs: config.dbTimeoutMs, poolMax: config.dbPoolMax });
      closers.push(() => opened.close());
      replica = opened;
    }
    const tables = options.tables ?? djangoTables({ authUserModel: config.authUserModel, userTable: config.userTable });
    const store = options.store ?? databaseStore(config, database!, tables);
    const ownPermissions = options.permissions ?? (database ? databasePermissions(database, tables) : undefined);
    if (!ownPermissions) throw new Error('createDjangoAuth needs a permissions loader with a store of its own and no database');
    const replicaReads = replica && {
      store: databaseStore(config, replica.db, tables),
      timeoutMs: replica.timeoutMs,
      usable: replica.usable,
    };
    const lookups = options.lookups ?? lookupsFor(config, store, { replica: replicaReads, cache, onAnswer: options.events?.onReadSource });
    const permissions = replica ? permissionsFromReplica(ownPermissions, databasePermissions(replica.db, tables), replica) : ownPermissions;
    return {
      database,
      lookups,
      decide: withDecisionCache(config, lookups),
      store: engineStore(config, store, cache),
      permissions,
      close: async () => void (await Promise.all(closers.map((closer) => closer()))),
    };
  } catch (error) {
    await Promise.allSettled(closers.map((closer) => closer()));
    throw error;
  }
}

function unavailable(error: unknown): DjangoAuthUnavailableError {
  if (error instanceof DjangoAuthUnavailableError) return error;
  return new DjangoAuthUnavailableError(error, error instanceof CacheUnavailableError ? 'cache' : 'database');
}

/**
 * Django's request.user for any Node app: reads the session cookie, the session (database, cache or signed
 * cookie) and the user, and checks what django.contrib.auth.get_user() checks. Nothing is opened until the
 * first request that carries a cookie; nothing is ever written.
 *
 * @example
 * const auth = createDjangoAuth({ databaseUrl: process.env.DATABASE_URL, secretKey: process.env.DJANGO_SECRET_KEY });
 * const { loggedIn, user } = await auth.authenticate(request);
 */
export function createDjangoAuth(options: DjangoAuthOptions): DjangoAuth {
  return createDjangoAuthFromConfig(resolveSettings(options), options);
}

/** createDjangoAuth with settings already resolved (resolveSettings, djangoConfigFromEnv). */
export function createDjangoAuthFromConfig(config: DjangoConfig, options: DjangoAuthSources & WriteOptions = {}): DjangoAuth {
  const events = options.events ?? {};
  let opened: Promise<Opened> | undefined;
  let closed = false;
  const ready = (): Promise<Opened> => {
    if (closed) return Promise.reject(new Error('this DjangoAuth is closed'));
    opened ??= open(config, options).catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
  const report = (error: unknown): never => {
    const failure = unavailable(error);
    events.onUnavailable?.(failure);
    throw failure;
  };

  let permissionOptions: PermissionOptions | undefined;
  const auth: Omit<DjangoAuth, keyof DjangoAuthWrites> = {
    config,
    async authenticate(input) {
      const sessionKey = sessionCookieOf(input, config.sessionCookieName);
      let verdict;
      if (sessionKey === undefined || sessionKey === '') {
        verdict = anonymous('no_cookie');
      } else {
        const { decide, permissions } = await ready().catch(report);
        verdict = await withinDeadline(decide(sessionKey), config.dbTimeoutMs).catch(report);
        events.onVerdict?.(verdict.reason);
        if (permissionOptions?.load !== permissions) permissionOptions = { load: permissions, backends: config.django.authenticationBackends, timeoutMs: config.dbTimeoutMs, onUnavailable: events.onUnavailable };
        const user = verdict.user ? new DjangoRequestUser(verdict.user, permissionOptions) : null;
        return { loggedIn: verdict.loggedIn, reason: verdict.reason, user, session: verdict.session ?? null, sessionKey };
      }
      events.onVerdict?.(verdict.reason);
      return { loggedIn: false, reason: verdict.reason, user: null, session: null, sessionKey };
    },
    async ping() {
      const { lookups, store, permissions } = await ready().catch(report);
      await withinDeadline(Promise.all([lookups(NO_SUCH_KEY), store.findUser(0n), permissions(0n, 'own')]), config.dbTimeoutMs).catch(report);
    },
    async close() {
      closed = true;
      const current = opened;
      opened = undefined;
      await writes.close();
      if (current) await (await current.catch(() => undefined))?.close();
    },
  };
  const writes = createWrites({
    config,
    settings: resolveWriteSettings(config, options),
    unavailable: report,
    async readDatabase() {
      const { database } = await ready().catch(report);
      if (database === undefined) throw new Error('log-in and password changes read users from Django\'s database: set databaseUrl (or database, or pool)');
      return database;
    },
    async loggedInUserId(input) {
      const { user } = await auth.authenticate(input);
      return user === null ? null : BigInt(user.id);
    },
  });
  return {
    ...auth,
    checkCredentials: writes.checkCredentials,
    login: writes.login,
    logout: writes.logout,
    changePassword: writes.changePassword,
  };
}
