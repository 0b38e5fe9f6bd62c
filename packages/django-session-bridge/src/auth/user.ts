import {
  grantedPermissions,
  hasModulePerms,
  hasPerm,
  hasPerms,
  isActiveSuperuser,
  NO_PERMISSIONS,
  permissionScope,
  pythonSorted,
  type DjangoUser,
  type GrantedPermissions,
  type PermissionRows,
} from '../django/index.ts';
import { withinDeadline } from '../deadline.ts';
import type { LoadPermissions } from '../stores/permission-query.ts';
import { DjangoAuthUnavailableError } from './unavailable.ts';

/** The user as pages and JSON see it: no password hash, the id as a number where it fits (else its digits). */
export interface PublicUser {
  id: number | string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** False only under an AllowAllUsers… backend, which logs inactive users in. */
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** Django's User.has_perm and friends, with ModelBackend's answers. */
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

/** A logged-in visitor: the public fields, and Django's permission checks as methods (not enumerable). */
export type BridgeUser = PublicUser & UserPermissions;

/** The public fields of a user row. */
export function publicUser(user: DjangoUser): PublicUser {
  const id = user.id <= BigInt(Number.MAX_SAFE_INTEGER) && user.id >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(user.id) : user.id.toString();
  return {
    id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    isActive: user.isActive,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
  };
}

/** How a user's permissions are read. */
export interface PermissionOptions {
  load: LoadPermissions;
  backends: readonly string[];
  timeoutMs: number;
  /** Told of a load that failed, before the DjangoAuthUnavailableError it becomes. */
  onUnavailable?: (error: DjangoAuthUnavailableError) => void;
}

function once<T>(work: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= work());
}

/**
 * One user's permission methods. Nothing is read until a method is called; then one query reads the user's
 * groups and permissions together, and every later call reuses it, as Django's user object caches them
 * (_perm_cache). A method Django answers without its tables (an active superuser's has_perm, an inactive
 * user's permissions) reads nothing.
 */
export function permissionsFor({ load, backends, timeoutMs, onUnavailable }: PermissionOptions): (user: DjangoUser) => UserPermissions {
  return (user) => {
    const scope = permissionScope(user, backends);
    const rows = once(async (): Promise<PermissionRows> => {
      try {
        return await withinDeadline(load(user.id, scope === 'every' ? 'every' : 'own'), timeoutMs);
      } catch (error) {
        const unavailable = new DjangoAuthUnavailableError(error);
        onUnavailable?.(unavailable);
        throw unavailable;
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
