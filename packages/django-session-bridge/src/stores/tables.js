const BIGINT_MAX = 2n ** 63n - 1n;
/** Whether an id can be a primary key at all (a bigint at most): asking a database past that is an error, not "no user". */
export function fitsPrimaryKey(id) {
    return id <= BIGINT_MAX && id >= -BIGINT_MAX - 1n;
}
/**
 * Django's table names for a user model: db_table `<app_label>_<model>` unless set, and its many-to-many
 * tables `<db_table>_groups` and `<db_table>_user_permissions`, whose column for the user is `<model>_id`.
 */
export function djangoTables({ authUserModel = 'auth.User', userTable } = {}) {
    const [appLabel, modelName] = authUserModel.split('.', 2);
    if (!appLabel || !modelName)
        throw new Error(`authUserModel must be "app_label.ModelName", got "${authUserModel}"`);
    const model = modelName.toLowerCase();
    const defaultTable = `${appLabel.toLowerCase()}_${model}`;
    const table = userTable ?? defaultTable;
    const userColumn = `${model}_id`;
    return {
        sessionTable: 'django_session',
        userTable: table,
        permissions: {
            userGroups: { table: `${table}_groups`, user: userColumn, group: 'group_id' },
            userPermissions: { table: `${table}_user_permissions`, user: userColumn, permission: 'permission_id' },
            groupPermissions: { table: 'auth_group_permissions', group: 'group_id', permission: 'permission_id' },
            group: { table: 'auth_group', id: 'id', name: 'name' },
            permission: { table: 'auth_permission', id: 'id', contentType: 'content_type_id', codename: 'codename' },
            contentType: { table: 'django_content_type', id: 'id', appLabel: 'app_label' },
        },
    };
}
//# sourceMappingURL=tables.js.map