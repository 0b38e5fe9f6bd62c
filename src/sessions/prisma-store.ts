import type { DjangoUser } from 'django-session-bridge/django';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { auth_user } from '../generated/prisma/client.ts';
import type { SessionStore } from './store.ts';
import { describeModels, fitsPrimaryKey } from './user-model.ts';

export const USER_SELECT = {
  id: true,
  password: true,
  is_active: true,
  username: true,
  first_name: true,
  last_name: true,
  email: true,
  is_staff: true,
  is_superuser: true,
} as const;

/** A user's columns; the id a number or, from a bigint column, a BigInt (which Number() would round past 2^53). */
export type UserRow = Omit<Pick<auth_user, keyof typeof USER_SELECT>, 'id'> & { id: number | bigint };

export function toDjangoUser(row: UserRow): DjangoUser {
  return {
    id: BigInt(row.id),
    password: row.password,
    isActive: row.is_active,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    isStaff: row.is_staff,
    isSuperuser: row.is_superuser,
  };
}

/** The reference store: Prisma Client for both lookups. */
export function createPrismaStore(prisma: PrismaClient): SessionStore {
  const model = describeModels(prisma);
  return {
    async findSession(sessionKey) {
      const row = await prisma.django_session.findUnique({
        where: { session_key: sessionKey },
        select: { session_data: true, expire_date: true },
      });
      return row && { sessionData: row.session_data, expireDate: row.expire_date };
    },
    async findUser(id) {
      if (!fitsPrimaryKey(id, model)) return null;
      const key = (model.idIsBigInt ? id : Number(id)) as auth_user['id'];
      const row = await prisma.auth_user.findUnique({ where: { id: key }, select: USER_SELECT });
      return row && toDjangoUser(row);
    },
  };
}
