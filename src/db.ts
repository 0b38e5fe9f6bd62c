import type pg from 'pg';
import type { PostgresDatabase, DatabaseOptions } from 'django-session-bridge';
import { createPool, createPostgresDatabase } from 'django-session-bridge/postgresql';
import { PrismaClient } from './generated/prisma/client.ts';
import { prismaAdapter } from './prisma-adapter.ts';

export type { DatabaseOptions };
export { createPool };

/** Django's PostgreSQL database as the service opens it: the library's pool, with Prisma's adapter on it too. */
export interface Database extends PostgresDatabase {
  prisma: PrismaClient;
}

/**
 * Django's PostgreSQL database: one pool (the library's createPool), shared by the library's lookups and
 * Prisma's adapter (the tools, Studio, SESSION_STORE=prisma).
 */
export function createDatabase(options: DatabaseOptions, pool: pg.Pool = createPool(options)): Database {
  const database = createPostgresDatabase(options, pool);
  const prisma = new PrismaClient({ adapter: prismaAdapter(pool) });
  return {
    ...database,
    prisma,
    async close() {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
