import type { DjangoConfig } from '../config/settings.ts';
import { providerOf, type Provider } from '../databases/url.ts';
import { formatNaiveDatetime } from '../django/index.ts';

/** The statements of one write transaction: the session table's, and the user table's two columns. */
export interface WriteTransaction {
  /** save(must_create=True): false when the key is taken already (Django's IntegrityError). */
  insertSession(key: string, sessionData: string, expireDate: Date): Promise<boolean>;
  /** save() of an existing key: false when its row is gone. */
  updateSession(key: string, sessionData: string, expireDate: Date): Promise<boolean>;
  deleteSession(key: string): Promise<void>;
  /** django.contrib.auth.models.update_last_login. */
  saveLastLogin(userId: bigint, now: Date): Promise<void>;
  /** user.save(update_fields=['password']). */
  savePassword(userId: bigint, encoded: string): Promise<void>;
}

/** Django's database through the write role (DATABASE_WRITE_URL): only log-in, log-out and password changes use it. */
export interface WriteDatabase {
  /** SessionStore.load(): the session_data of the key's unexpired row, or null. */
  loadSession(key: string, now: Date): Promise<string | null>;
  /** `work` in one transaction, committed when it resolves and rolled back when it throws. */
  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What every write database is opened with. */
export interface WriteDatabaseOptions {
  url: string;
  sessionTable: string;
  userTable: string;
  timeoutMs: number;
  poolMax: number;
  /** The zone of MySQL's and SQLite's naive datetimes: UTC with USE_TZ = True, TIME_ZONE without. */
  naiveZone: string;
}

// Like the read side, only the driver the URL names is loaded, on the first write.
const OPEN = {
  postgresql: async (options) => (await import('./postgresql-writes.ts')).openPostgresWrites(options),
  mysql: async (options) => (await import('./mariadb-writes.ts')).openMariaDbWrites(options),
  sqlite: async (options) => (await import('./sqlite-writes.ts')).openSqliteWrites(options),
} satisfies Record<Provider, (options: WriteDatabaseOptions) => Promise<WriteDatabase>>;

/** Opens DATABASE_WRITE_URL with the driver its scheme names. */
export function openWriteDatabase(options: WriteDatabaseOptions): Promise<WriteDatabase> {
  const provider = providerOf(options.url);
  if (provider === null) throw new Error('DATABASE_WRITE_URL must be a postgresql://, mysql://, mariadb:// or file: URL');
  return OPEN[provider](options);
}

/** The write database's options from the read side's configuration. */
export function writeDatabaseOptions(url: string, config: DjangoConfig): WriteDatabaseOptions {
  return {
    url,
    sessionTable: 'django_session',
    userTable: config.userTable,
    timeoutMs: config.dbTimeoutMs,
    // Log-ins are rare next to page views.
    poolMax: Math.min(config.dbPoolMax, 5),
    naiveZone: config.useTz ? 'UTC' : config.timeZone,
  };
}

/** What a naive-datetime dialect's statements name: its quoted tables, and a datetime as Django's naive text. */
export interface NaiveDialectParts {
  sessions: string;
  users: string;
  naive(date: Date): string;
}

/** The quoted table names (with the dialect's `quote`) and the naive-text writer of MySQL's and SQLite's statements. */
export function naiveDialectParts(options: WriteDatabaseOptions, quote: (name: string) => string): NaiveDialectParts {
  return { sessions: quote(options.sessionTable), users: quote(options.userTable), naive: (date) => formatNaiveDatetime(date, options.naiveZone) };
}
