import { permissionQuery, permissionRows, type LoadPermissions, type PermissionQueryRow } from 'django-session-bridge';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { describePermissionTables, userIdIsBigInt } from 'django-session-bridge/prisma';

// PostgreSQL and SQLite quote identifiers with double quotes, MySQL and MariaDB with backticks.
const QUOTES: Record<string, string> = { postgresql: '"', cockroachdb: '"', sqlite: '"', mysql: '`' };

/** The reference loader (SESSION_STORE=prisma): the library's query through Prisma's $queryRawUnsafe. */
export function createPermissionStore(prisma: PrismaClient): LoadPermissions {
  const provider = (prisma as unknown as { _activeProvider: string })._activeProvider;
  const quote = QUOTES[provider] ?? '"';
  const numbered = quote === '"' && provider !== 'sqlite';
  const query = permissionQuery(describePermissionTables(prisma), {
    ident: (name) => `${quote}${name.replaceAll(quote, quote + quote)}${quote}`,
    param: (index) => (numbered ? `$${index}` : '?'),
  });
  const bigint = userIdIsBigInt(prisma);
  return async function loadPermissions(userId, scope) {
    const { text, uses } = query[scope];
    const id = bigint ? userId : Number(userId);
    return permissionRows(await prisma.$queryRawUnsafe<PermissionQueryRow[]>(text, ...Array(uses).fill(id)));
  };
}
