import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import type { DatabaseOptions, MariaDbDatabase } from 'django-session-bridge';
import { createMariaDbDatabase } from 'django-session-bridge/mysql';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as MySqlPrismaClient } from '../generated/mysql/client.ts';
import { sameModels } from './same-models.ts';

/** The library's MySQL/MariaDB database, with Prisma's adapter on its (read-only) pool. */
export function openMariaDb(options: DatabaseOptions): MariaDbDatabase & { prisma: PrismaClient } {
  const database = createMariaDbDatabase(options);
  const prisma = sameModels(new MySqlPrismaClient({ adapter: new PrismaMariaDb(database.pool) }));
  return {
    ...database,
    prisma,
    async close() {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
