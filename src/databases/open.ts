import { createDatabase, type Database, type DatabaseOptions } from '../db.ts';
import { createMariaDbDatabase, type MariaDbDatabase } from './mariadb.ts';
import { createSqliteDatabase, type SqliteDatabase } from './sqlite.ts';
import { providerOf } from './url.ts';

/** Django's database, whichever DATABASE_URL names: each carries its own driver for the hot-path store. */
export type DjangoDatabase = Database | MariaDbDatabase | SqliteDatabase;

const OPEN = {
  postgresql: createDatabase,
  mysql: createMariaDbDatabase,
  sqlite: createSqliteDatabase,
} satisfies Record<DjangoDatabase['provider'], (options: DatabaseOptions) => DjangoDatabase>;

export function openDatabase(options: DatabaseOptions): DjangoDatabase {
  const provider = providerOf(options.url);
  if (provider === null) throw new Error('DATABASE_URL must be a postgresql://, mysql://, mariadb:// or file: URL');
  return OPEN[provider](options);
}
