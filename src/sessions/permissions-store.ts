import type { PrismaClient } from '../generated/prisma/client.ts';
import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from './permission-query.ts';
import { describeModels } from './user-model.ts';

/** The reference loader: the query through Prisma's $queryRaw, which writes the provider's placeholders. */
export function createPermissionStore(prisma: PrismaClient): LoadPermissions {
  const query = permissionQuery(prisma);
  const model = describeModels(prisma);
  return async function loadPermissions(userId, scope) {
    const id = model.idIsBigInt ? userId : Number(userId);
    return permissionRows(await prisma.$queryRaw<PermissionQueryRow[]>(query(id, scope)));
  };
}
