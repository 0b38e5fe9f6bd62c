import type { RuntimeDataModel } from '@prisma/client/runtime/client';
import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * What the introspected schema says about the two tables, read from the generated client rather than
 * written again by hand: the table names (a custom AUTH_USER_MODEL is the model `auth_user` with
 * @@map("its_table")) and whether the user's primary key is an int or a bigint.
 */
export interface UserModel {
  sessionTable: string;
  userTable: string;
  idIsBigInt: boolean;
}

const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

export function describeModels(prisma: PrismaClient): UserModel {
  // The client's runtime data model is the generated schema; its type is not on the public client type.
  const models = (prisma as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel.models;
  const user = models.auth_user;
  const session = models.django_session;
  if (!user || !session) throw new Error('the generated Prisma client has no auth_user or django_session model');
  const id = user.fields.find((field) => field.name === 'id');
  return {
    sessionTable: session.dbName ?? 'django_session',
    userTable: user.dbName ?? 'auth_user',
    idIsBigInt: id?.type === 'BigInt',
  };
}

/** A key outside the column's range matches no row; asking PostgreSQL would be an error, not "no user". */
export function fitsPrimaryKey(id: bigint, model: UserModel): boolean {
  const max = model.idIsBigInt ? BIGINT_MAX : INT_MAX;
  return id <= max && id >= -max - 1n;
}
