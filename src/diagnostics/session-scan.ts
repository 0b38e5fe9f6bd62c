import type { auth_user, PrismaClient } from '../generated/prisma/client.ts';
import { fitsPrimaryKey, toDjangoUser, USER_COLUMNS } from 'django-session-bridge';
import { userIdIsBigInt } from 'django-session-bridge/prisma';

const USER_SELECT = Object.fromEntries(USER_COLUMNS.map((column) => [column, true])) as Record<(typeof USER_COLUMNS)[number], true>;
const INT_MAX = 2n ** 31n - 1n;
import type { FindUsers, SessionRecord } from './batch-store.ts';

export interface ScanOptions {
  now: Date;
  batchSize: number;
  /**
   * For a naive expire_date (MySQL, SQLite): the instant a stored value stands for. The comparison is then made
   * here rather than in SQL, where SQLite would compare Django's "YYYY-MM-DD HH:MM:SS" text with Prisma's ISO text.
   */
  expiry?: (stored: Date) => Date;
}

async function* sessionBatches(prisma: PrismaClient, now: Date, batchSize: number, inSql: boolean) {
  let after: string | undefined;
  for (;;) {
    const rows = await prisma.django_session.findMany({
      where: { ...(inSql ? { expire_date: { gt: now } } : {}), ...(after === undefined ? {} : { session_key: { gt: after } }) },
      orderBy: { session_key: 'asc' },
      take: batchSize,
      select: { session_key: true, session_data: true, expire_date: true },
    });
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = rows.at(-1)?.session_key;
  }
}

/**
 * The unexpired django_session rows in primary-key order, batchSize at a time. Keyset pagination
 * (session_key > the last one seen) keeps every query an index range scan however deep into the table,
 * and memory at one batch.
 */
export async function* unexpiredSessions(prisma: PrismaClient, { now, batchSize, expiry }: ScanOptions): AsyncGenerator<SessionRecord[]> {
  for await (const rows of sessionBatches(prisma, now, batchSize, expiry === undefined)) {
    const records = rows.map((row) => ({ sessionKey: row.session_key, sessionData: row.session_data, expireDate: expiry ? expiry(row.expire_date) : row.expire_date }));
    const unexpired = records.filter((record) => record.expireDate.getTime() > now.getTime());
    if (unexpired.length > 0) yield unexpired;
  }
}

/** Rows past their expiry that Django's clearsessions has not deleted yet. */
export async function countExpiredSessions(prisma: PrismaClient, now: Date, expiry?: (stored: Date) => Date): Promise<number> {
  if (!expiry) return prisma.django_session.count({ where: { expire_date: { lte: now } } });
  let expired = 0;
  for await (const rows of sessionBatches(prisma, now, 1000, false)) {
    expired += rows.filter((row) => expiry(row.expire_date).getTime() <= now.getTime()).length;
  }
  return expired;
}

/** One findMany per call for a set of user ids. Ids outside the key's range match no row, as in the stores. */
export function usersById(prisma: PrismaClient): FindUsers {
  const bigint = userIdIsBigInt(prisma);
  return async (ids) => {
    const keys = ids.filter((id) => fitsPrimaryKey(id) && (bigint || (id <= INT_MAX && id >= -INT_MAX - 1n))).map((id) => (bigint ? id : Number(id)) as auth_user['id']);
    if (keys.length === 0) return [];
    const rows = await prisma.auth_user.findMany({ where: { id: { in: keys } }, select: USER_SELECT });
    return rows.map(toDjangoUser);
  };
}
