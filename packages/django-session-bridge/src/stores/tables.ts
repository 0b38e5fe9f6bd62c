/**
 * Where Django keeps what the lookups read: the session table, the user table (AUTH_USER_MODEL's) and the
 * tables ModelBackend reads permissions from. Column names are Django's own; table names follow the models.
 */
export interface DjangoTables {
  sessionTable: string;
  userTable: string;
  /** The user's groups and permissions (the many-to-many tables of AUTH_USER_MODEL). */
  permissions: PermissionTables;
}

/** Table and column names of what ModelBackend reads. */
export interface PermissionTables {
  userGroups: { table: string; user: string; group: string };
  userPermissions: { table: string; user: string; permission: string };
  groupPermissions: { table: string; group: string; permission: string };
  group: { table: string; id: string; name: string };
  permission: { table: string; id: string; contentType: string; codename: string };
  contentType: { table: string; id: string; appLabel: string };
}

/** Where to find AUTH_USER_MODEL's tables. */
export interface TableOptions {
  /** AUTH_USER_MODEL, `app_label.ModelName`; default `auth.User`. */
  authUserModel?: string;
  /** The user model's db_table, when it is not Django's default `<app_label>_<model name>`. */
  userTable?: string;
}

const BIGINT_MAX = 2n ** 63n - 1n;

/** Whether an id can be a primary key at all (a bigint at most): asking a database past that is an error, not "no user". */
export function fitsPrimaryKey(id: bigint): boolean {
  return id <= BIGINT_MAX && id >= -BIGINT_MAX - 1n;
}

/**
 * Django's table names for a user model: db_table `<app_label>_<model>` unless set, and its many-to-many
 * tables `<db_table>_groups` and `<db_table>_user_permissions`, whose column for the user is `<model>_id`.
 */
export function djangoTables({ authUserModel = 'auth.User', userTable }: TableOptions = {}): DjangoTables {
  const [appLabel, modelName] = authUserModel.split('.', 2);
  if (!appLabel || !modelName) throw new Error(`authUserModel must be "app_label.ModelName", got "${authUserModel}"`);
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
