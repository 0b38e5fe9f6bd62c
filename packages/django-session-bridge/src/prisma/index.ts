// django-session-bridge/prisma: the lookups on the caller's own PrismaClient. @prisma/client is an optional peer.
export { createPrismaStore } from './store.ts';
export { describePermissionTables, tablesFromPrisma, userIdIsBigInt } from './tables.ts';
export type { DjangoPrismaClient } from './tables.ts';
