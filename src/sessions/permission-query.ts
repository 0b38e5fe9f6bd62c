import type { PermissionRow, PermissionRows } from 'django-session-bridge/django';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { describePermissionTables } from './permission-tables.ts';

/** `own`: the user's user_permissions and their groups' permissions; `every`: every permission there is. */
export type LoadScope = 'own' | 'every';

/** A user's group names and permission rows, in one query. Database errors escape, as in SessionStore. */
export type LoadPermissions = (userId: bigint, scope: LoadScope) => Promise<PermissionRows>;

// PostgreSQL and SQLite quote identifiers with double quotes, MySQL and MariaDB with backticks.
const QUOTES: Record<string, string> = { postgresql: '"', cockroachdb: '"', sqlite: '"', mysql: '`' };

export interface PermissionQueryRow {
  kind: 'member' | PermissionRow['source'];
  label: string;
  codename: string | null;
}

/**
 * The one query, as a Prisma.Sql (placeholders for any provider: `.sql` with ?, `.text` with $1): a UNION ALL
 * of plain joins, nothing in it any database's own. Table and column names come from the generated client.
 */
export function permissionQuery(prisma: PrismaClient): (userId: unknown, scope: LoadScope) => Prisma.Sql {
  const quote = QUOTES[(prisma as unknown as { _activeProvider: string })._activeProvider] ?? '"';
  const q = (name: string) => Prisma.raw(`${quote}${name.replaceAll(quote, quote + quote)}${quote}`);
  const { userGroups, userPermissions, groupPermissions, group, permission, contentType } = describePermissionTables(prisma);
  const withAppLabel = Prisma.sql`JOIN ${q(contentType.table)} ct ON ct.${q(contentType.id)} = p.${q(permission.contentType)}`;

  return (id, scope) => {
    const groups = Prisma.sql`
      SELECT 'member' AS kind, g.${q(group.name)} AS label, NULL AS codename
      FROM ${q(userGroups.table)} ug JOIN ${q(group.table)} g ON g.${q(group.id)} = ug.${q(userGroups.group)}
      WHERE ug.${q(userGroups.user)} = ${id}`;
    if (scope === 'every') {
      return Prisma.sql`${groups}
        UNION ALL
        SELECT 'every', ct.${q(contentType.appLabel)}, p.${q(permission.codename)} FROM ${q(permission.table)} p ${withAppLabel}`;
    }
    return Prisma.sql`${groups}
      UNION ALL
      SELECT 'user', ct.${q(contentType.appLabel)}, p.${q(permission.codename)}
      FROM ${q(userPermissions.table)} up
      JOIN ${q(permission.table)} p ON p.${q(permission.id)} = up.${q(userPermissions.permission)} ${withAppLabel}
      WHERE up.${q(userPermissions.user)} = ${id}
      UNION ALL
      SELECT 'group', ct.${q(contentType.appLabel)}, p.${q(permission.codename)}
      FROM ${q(userGroups.table)} ug
      JOIN ${q(groupPermissions.table)} gp ON gp.${q(groupPermissions.group)} = ug.${q(userGroups.group)}
      JOIN ${q(permission.table)} p ON p.${q(permission.id)} = gp.${q(groupPermissions.permission)} ${withAppLabel}
      WHERE ug.${q(userGroups.user)} = ${id}`;
  };
}

export function permissionRows(rows: readonly PermissionQueryRow[]): PermissionRows {
  const groups: string[] = [];
  const permissions: PermissionRow[] = [];
  for (const row of rows) {
    if (row.kind === 'member') groups.push(row.label);
    else permissions.push({ source: row.kind, appLabel: row.label, codename: row.codename ?? '' });
  }
  return { groups, permissions };
}
