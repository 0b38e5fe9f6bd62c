/**
 * The one query, per scope: a UNION ALL of plain joins, nothing in it any database's own but the quoting and
 * placeholders of the dialect.
 */
export function permissionQuery(tables, { ident: q, param }) {
    const { userGroups, userPermissions, groupPermissions, group, permission, contentType } = tables;
    const withAppLabel = `JOIN ${q(contentType.table)} ct ON ct.${q(contentType.id)} = p.${q(permission.contentType)}`;
    const groups = (n) => `SELECT 'member' AS kind, g.${q(group.name)} AS label, NULL AS codename
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
export function permissionRows(rows) {
    const groups = [];
    const permissions = [];
    for (const row of rows) {
        if (row.kind === 'member')
            groups.push(row.label);
        else
            permissions.push({ source: row.kind, appLabel: row.label, codename: row.codename ?? '' });
    }
    return { groups, permissions };
}
//# sourceMappingURL=permission-query.js.map