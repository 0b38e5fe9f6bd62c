import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { DatabaseOptions, SqliteDatabase } from 'django-session-bridge';
import { createSqliteDatabase } from 'django-session-bridge/sqlite';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client.ts';
import { sameModels } from './same-models.ts';

/** The library's read-only SQLite file, with Prisma's adapter on a read-only connection of its own. */
export function openSqlite(options: DatabaseOptions): SqliteDatabase & { prisma: PrismaClient } {
  const database = createSqliteDatabase(options);
  const prisma = sameModels(new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: database.file, ...database.connectionOptions }) }));
  return {
    ...database,
    prisma,
    async close() {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
