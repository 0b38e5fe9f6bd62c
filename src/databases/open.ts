import { createDatabase, type Database, type DatabaseOptions } from '../db.ts';
import type { MariaDbDatabase } from './mariadb.ts';
import type { SqliteDatabase } from './sqlite.ts';
import { providerOf } from './url.ts';

/** Django's database, whichever DATABASE_URL names: each carries its own driver for the hot-path store. */
export type DjangoDatabase = Database | MariaDbDatabase | SqliteDatabase;

// The MySQL and SQLite drivers and their Prisma adapters take longer to load than the rest of the service
// together: only the one DATABASE_URL names is loaded.
const OPEN = {
  postgresql: async (options) => createDatabase(options),
  mysql: async (options) => (await import('./mariadb.ts')).createMariaDbDatabase(options),
  sqlite: async (options) => (await import('./sqlite.ts')).createSqliteDatabase(options),
} satisfies Record<DjangoDatabase['provider'], (options: DatabaseOptions) => Promise<DjangoDatabase>>;

export async function openDatabase(options: DatabaseOptions): Promise<DjangoDatabase> {
  const provider = providerOf(options.url);
  if (provider === null) throw new Error('DATABASE_URL must be a postgresql://, mysql://, mariadb:// or file: URL');
  return OPEN[provider](options);
}
