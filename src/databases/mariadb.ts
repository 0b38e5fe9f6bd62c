import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import * as mariadb from 'mariadb';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as MySqlPrismaClient } from '../generated/mysql/client.ts';
import type { DatabaseOptions } from '../db.ts';
import { sameModels } from './same-models.ts';
import { mysqlConnection } from './url.ts';

/** Django's MySQL or MariaDB database: one mariadb pool, shared by Prisma's adapter and the mariadb store. */
export interface MariaDbDatabase {
  readonly provider: 'mysql';
  pool: mariadb.Pool;
  /** Prisma Client for the MySQL schema; typed as the PostgreSQL client, whose models are the same (see sameModels). */
  prisma: PrismaClient;
  /** DATETIME is naive: UTC with USE_TZ = True, TIME_ZONE's wall clock without. */
  readonly naiveDatetimes: true;
  missingTables(tables: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export function createMariaDbDatabase({ url, poolMax, timeoutMs }: DatabaseOptions): MariaDbDatabase {
  const pool = mariadb.createPool({
    ...mysqlConnection(url),
    connectionLimit: poolMax,
    connectTimeout: timeoutMs,
    acquireTimeout: timeoutMs,
    charset: 'utf8mb4',
    // DATETIME as its text: a naive value whose zone Django's USE_TZ decides, never Node's local zone.
    dateStrings: true,
    // The counterpart of PostgreSQL's default_transaction_read_only: any write is refused by the server.
    initSql: 'SET SESSION TRANSACTION READ ONLY',
  });
  const prisma = sameModels(new MySqlPrismaClient({ adapter: new PrismaMariaDb(pool) }));
  return {
    provider: 'mysql',
    pool,
    prisma,
    naiveDatetimes: true,
    async missingTables(tables) {
      const rows = await pool.query<{ name: string }[]>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)',
        [tables],
      );
      const found = new Set(rows.map((row) => row.name));
      return tables.filter((table) => !found.has(table));
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
