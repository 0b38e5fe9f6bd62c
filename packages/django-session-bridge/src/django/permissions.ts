/**
 * Django's permission answers for a logged-in user, as django.contrib.auth computes them: User.has_perm and
 * friends (models.py) ask every backend in AUTHENTICATION_BACKENDS; of Django's own, ModelBackend and its
 * subclasses answer from the tables (backends.py, _get_permissions).
 */

// ModelBackend and the django.contrib.auth backends that subclass it (and so share its permission code).
const MODEL_BACKENDS = new Set([
  'django.contrib.auth.backends.ModelBackend',
  'django.contrib.auth.backends.AllowAllUsersModelBackend',
  'django.contrib.auth.backends.RemoteUserBackend',
  'django.contrib.auth.backends.AllowAllUsersRemoteUserBackend',
]);

/** What ModelBackend reads of a user to decide permissions. */
export interface PermissionUser {
  isActive: boolean;
  isSuperuser: boolean;
}

/**
 * What ModelBackend reads for a user: nothing (an inactive user, or no ModelBackend configured), the user's
 * own permissions (user_permissions and the groups'), or, for an active superuser, Permission.objects.all().
 */
export type PermissionScope = 'none' | 'own' | 'every';

/** Which rows a loader returns: `every` is every permission in the database, each counted as both sources. */
export type PermissionSource = 'user' | 'group' | 'every';

/** One granted permission as the permission queries return it: `app_label.codename` and where it came from. */
export interface PermissionRow {
  source: PermissionSource;
  appLabel: string;
  codename: string;
}

/** One query's answer: the user's group names and the permission rows of the scope asked for. */
export interface PermissionRows {
  groups: readonly string[];
  permissions: readonly PermissionRow[];
}

/** ModelBackend.get_user_permissions, get_group_permissions and get_all_permissions. */
export interface GrantedPermissions {
  user: ReadonlySet<string>;
  group: ReadonlySet<string>;
  all: ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();
/** The permissions of a user who has none (inactive, or no ModelBackend). */
export const NO_PERMISSIONS: GrantedPermissions = { user: EMPTY, group: EMPTY, all: EMPTY };

/** Which permissions ModelBackend grants this user: none, all (active superuser) or the rows'. */
export function permissionScope(user: PermissionUser, backends: readonly string[]): PermissionScope {
  if (!user.isActive || !backends.some((backend) => MODEL_BACKENDS.has(backend))) return 'none';
  return user.isSuperuser ? 'every' : 'own';
}

/** User.has_perm's and has_module_perms' short-circuit, taken before any backend is asked. */
export function isActiveSuperuser(user: PermissionUser): boolean {
  return user.isActive && user.isSuperuser;
}

/** The rows' permissions as ModelBackend names them, content_type.app_label + "." + codename. */
export function grantedPermissions(rows: PermissionRows): GrantedPermissions {
  const user = new Set<string>();
  const group = new Set<string>();
  for (const { source, appLabel, codename } of rows.permissions) {
    const name = `${appLabel}.${codename}`;
    if (source !== 'group') user.add(name);
    if (source !== 'user') group.add(name);
  }
  return { user, group, all: new Set([...user, ...group]) };
}

/** User.has_perm: `granted` is what the backends grant (NO_PERMISSIONS for scope `none`). */
export function hasPerm(user: PermissionUser, granted: GrantedPermissions, perm: string): boolean {
  return isActiveSuperuser(user) || (user.isActive && granted.all.has(perm));
}

/** User.has_perms: every one of them (so an empty list is always granted). */
export function hasPerms(user: PermissionUser, granted: GrantedPermissions, perms: readonly string[]): boolean {
  // Django 5.2 raises ValueError for a string; 3.2 would read it as a list of one-letter permissions.
  if (typeof perms === 'string') throw new TypeError('perm_list must be an iterable of permissions.');
  return perms.every((perm) => hasPerm(user, granted, perm));
}

/** User.has_module_perms: any permission whose part before the first "." is the app label. */
export function hasModulePerms(user: PermissionUser, granted: GrantedPermissions, appLabel: string): boolean {
  if (isActiveSuperuser(user)) return true;
  if (!user.isActive) return false;
  for (const perm of granted.all) {
    if (perm.slice(0, perm.indexOf('.')) === appLabel) return true;
  }
  return false;
}

function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** Python's sorted() of strings: by code point, where JavaScript's default sort compares UTF-16 units. */
export function pythonSorted(values: Iterable<string>): string[] {
  return [...values].sort(compareCodePoints);
}
