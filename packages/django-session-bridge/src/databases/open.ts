import type { MariaDbDatabase } from './mariadb.ts';
import type { DatabaseOptions, PostgresDatabase } from './postgresql.ts';
import type { SqliteDatabase } from './sqlite.ts';
import { providerOf } from './url.ts';

/** Django's database, whichever URL names it: each carries its own driver for the hot-path store. */
export type DjangoDatabase = PostgresDatabase | MariaDbDatabase | SqliteDatabase;

// Each driver is an optional peer dependency, and the MySQL and SQLite ones load slower than the rest of the
// library together: only the one the URL names is loaded.
const OPEN = {
  postgresql: async (options) => (await import('./postgresql.ts')).createPostgresDatabase(options),
  mysql: async (options) => (await import('./mariadb.ts')).createMariaDbDatabase(options),
  sqlite: async (options) => (await import('./sqlite.ts')).createSqliteDatabase(options),
} satisfies Record<DjangoDatabase['provider'], (options: DatabaseOptions) => Promise<DjangoDatabase>>;

/** Opens Django's database, read-only wherever the driver can make it so, with the driver its URL names. */
export async function openDatabase(options: DatabaseOptions): Promise<DjangoDatabase> {
  const provider = providerOf(options.url);
  if (provider === null) throw new Error('the database URL must be a postgresql://, mysql://, mariadb:// or file: URL');
  return OPEN[provider](options);
}
