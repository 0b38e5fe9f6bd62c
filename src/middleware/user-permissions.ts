import type { DjangoUser } from 'django-session-bridge/django';
import {
  grantedPermissions,
  hasModulePerms,
  hasPerm,
  hasPerms,
  isActiveSuperuser,
  NO_PERMISSIONS,
  permissionScope,
  pythonSorted,
  type GrantedPermissions,
  type PermissionRows,
} from 'django-session-bridge/django';
import { withinDeadline } from '../deadline.ts';
import { DatabaseUnavailableError } from '../errors.ts';
import type { VerdictCounters } from '../metrics.ts';
import type { LoadPermissions } from '../sessions/permission-query.ts';

/** Django's User.has_perm and friends on ctx.state.user, with ModelBackend's answers. */
export interface UserPermissions {
  hasPerm(perm: string): Promise<boolean>;
  hasPerms(perms: readonly string[]): Promise<boolean>;
  hasModulePerms(appLabel: string): Promise<boolean>;
  /** get_all_permissions(), sorted. */
  getAllPermissions(): Promise<string[]>;
  /** get_user_permissions(), sorted. */
  getUserPermissions(): Promise<string[]>;
  /** get_group_permissions(), sorted. */
  getGroupPermissions(): Promise<string[]>;
  /** The names of the user's groups, sorted. */
  groups(): Promise<string[]>;
}

export interface PermissionOptions {
  load: LoadPermissions;
  backends: readonly string[];
  timeoutMs: number;
  counters: VerdictCounters;
}

function once<T>(work: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= work());
}

/**
 * A request's permission methods for one user. Nothing is read until a method is called; then one query
 * reads the user's groups and permissions together, and every later call of the request reuses it, as
 * Django's user object caches them (_perm_cache). Asking a method Django answers without its tables (an
 * active superuser's has_perm, an inactive user's permissions) reads nothing.
 */
export function permissionsFor({ load, backends, timeoutMs, counters }: PermissionOptions): (user: DjangoUser) => UserPermissions {
  return (user) => {
    const scope = permissionScope(user, backends);
    const rows = once(async (): Promise<PermissionRows> => {
      try {
        return await withinDeadline(load(user.id, scope === 'every' ? 'every' : 'own'), timeoutMs);
      } catch (error) {
        counters.countDbError();
        throw new DatabaseUnavailableError(error);
      }
    });
    const granted = once(async (): Promise<GrantedPermissions> => (scope === 'none' ? NO_PERMISSIONS : grantedPermissions(await rows())));
    // User.has_perm answers an active superuser before asking any backend: the checks then read nothing.
    const forChecks = () => (isActiveSuperuser(user) ? Promise.resolve(NO_PERMISSIONS) : granted());
    return {
      hasPerm: async (perm) => hasPerm(user, await forChecks(), perm),
      hasPerms: async (perms) => hasPerms(user, await forChecks(), perms),
      hasModulePerms: async (appLabel) => hasModulePerms(user, await forChecks(), appLabel),
      getAllPermissions: async () => pythonSorted((await granted()).all),
      getUserPermissions: async () => pythonSorted((await granted()).user),
      getGroupPermissions: async () => pythonSorted((await granted()).group),
      groups: async () => pythonSorted((await rows()).groups),
    };
  };
}

/** The methods on the user object, kept out of JSON.stringify and object spreads. */
export function withPermissions<User extends object>(user: User, permissions: UserPermissions): User & UserPermissions {
  const methods = Object.fromEntries(Object.entries(permissions).map(([name, value]) => [name, { value, enumerable: false }]));
  return Object.defineProperties(user, methods) as User & UserPermissions;
}
