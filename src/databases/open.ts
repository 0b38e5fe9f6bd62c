import type { DatabaseOptions, MariaDbDatabase, SqliteDatabase } from 'django-session-bridge';
import { providerOf } from 'django-session-bridge';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createDatabase, type Database } from '../db.ts';

/** Django's database, whichever DATABASE_URL names: the library's, with a Prisma client on the same connection. */
export type DjangoDatabase = Database | (MariaDbDatabase & { prisma: PrismaClient }) | (SqliteDatabase & { prisma: PrismaClient });

// The MySQL and SQLite drivers and their Prisma adapters take longer to load than the rest of the service
// together: only the one DATABASE_URL names is loaded.
const OPEN = {
  postgresql: async (options) => createDatabase(options),
  mysql: async (options) => (await import('./mariadb.ts')).openMariaDb(options),
  sqlite: async (options) => (await import('./sqlite.ts')).openSqlite(options),
} satisfies Record<DjangoDatabase['provider'], (options: DatabaseOptions) => Promise<DjangoDatabase>>;

export async function openDatabase(options: DatabaseOptions): Promise<DjangoDatabase> {
  const provider = providerOf(options.url);
  if (provider === null) throw new Error('DATABASE_URL must be a postgresql://, mysql://, mariadb:// or file: URL');
  return OPEN[provider](options);
}
