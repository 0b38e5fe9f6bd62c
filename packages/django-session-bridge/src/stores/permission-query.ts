import type { PermissionRow, PermissionRows } from '../django/index.ts';
import type { PermissionTables } from './tables.ts';

/** `own`: the user's user_permissions and their groups' permissions; `every`: every permission there is. */
export type LoadScope = 'own' | 'every';

/** A user's group names and permission rows, in one query. Database errors escape, as in SessionStore. */
export type LoadPermissions = (userId: bigint, scope: LoadScope) => Promise<PermissionRows>;

/** One row of the query: a group the user is in, or a permission and where it came from. */
export interface PermissionQueryRow {
  kind: 'member' | PermissionRow['source'];
  label: string;
  codename: string | null;
}

/** How a database quotes identifiers and writes its one parameter (the user's id). */
export interface SqlDialect {
  ident(name: string): string;
  /** The placeholder for the user id; every use of the id takes one. */
  param(index: number): string;
}

/** The query's text and its parameters: the user id once per use. */
export interface PermissionSql {
  text: string;
  uses: number;
}

/**
 * The one query, per scope: a UNION ALL of plain joins, nothing in it any database's own but the quoting and
 * placeholders of the dialect.
 */
export function permissionQuery(tables: PermissionTables, { ident: q, param }: SqlDialect): Record<LoadScope, PermissionSql> {
  const { userGroups, userPermissions, groupPermissions, group, permission, contentType } = tables;
  const withAppLabel = `JOIN ${q(contentType.table)} ct ON ct.${q(contentType.id)} = p.${q(permission.contentType)}`;
  const groups = (n: number) => `SELECT 'member' AS kind, g.${q(group.name)} AS label, NULL AS codename
      FROM ${q(userGroups.table)} ug JOIN ${q(group.table)} g ON g.${q(group.id)} = ug.${q(userGroups.group)}
      WHERE ug.${q(userGroups.user)} = ${param(n)}`;
  return {
    every: {
      uses: 1,
      text: `${groups(1)}
        UNION ALL
        SELECT 'every', ct.${q(contentType.appLabel)}, p.${q(permission.codename)} FROM ${q(permission.table)} p ${withAppLabel}`,
    },
    own: {
      uses: 3,
      text: `${groups(1)}
        UNION ALL
        SELECT 'user', ct.${q(contentType.appLabel)}, p.${q(permission.codename)}
        FROM ${q(userPermissions.table)} up
        JOIN ${q(permission.table)} p ON p.${q(permission.id)} = up.${q(userPermissions.permission)} ${withAppLabel}
        WHERE up.${q(userPermissions.user)} = ${param(2)}
        UNION ALL
        SELECT 'group', ct.${q(contentType.appLabel)}, p.${q(permission.codename)}
        FROM ${q(userGroups.table)} ug
        JOIN ${q(groupPermissions.table)} gp ON gp.${q(groupPermissions.group)} = ug.${q(userGroups.group)}
        JOIN ${q(permission.table)} p ON p.${q(permission.id)} = gp.${q(groupPermissions.permission)} ${withAppLabel}
        WHERE ug.${q(userGroups.user)} = ${param(3)}`,
    },
  };
}

/** The query's rows as the permission rules read them. */
export function permissionRows(rows: readonly PermissionQueryRow[]): PermissionRows {
  const groups: string[] = [];
  const permissions: PermissionRow[] = [];
  for (const row of rows) {
    if (row.kind === 'member') groups.push(row.label);
    else permissions.push({ source: row.kind, appLabel: row.label, codename: row.codename ?? '' });
  }
  return { groups, permissions };
}
