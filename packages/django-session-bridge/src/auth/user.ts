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

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** The public fields of a user row. */
export function publicUser(user: DjangoUser): PublicUser {
  const id = user.id <= MAX_SAFE && user.id >= MIN_SAFE ? Number(user.id) : user.id.toString();
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

/**
 * request.user for a logged-in verdict: the public fields as own properties, the permission methods on the
 * prototype (so JSON.stringify and object spreads see the fields only), and nothing read until a method asks.
 * One class rather than closures per request: a verdict costs one small object.
 */
export class DjangoRequestUser implements BridgeUser {
  id: number | string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  readonly #user: DjangoUser;
  readonly #options: PermissionOptions;
  #rows: Promise<PermissionRows> | undefined;
  #granted: Promise<GrantedPermissions> | undefined;

  constructor(user: DjangoUser, options: PermissionOptions) {
    this.id = user.id <= MAX_SAFE && user.id >= MIN_SAFE ? Number(user.id) : user.id.toString();
    this.username = user.username;
    this.firstName = user.firstName;
    this.lastName = user.lastName;
    this.email = user.email;
    this.isActive = user.isActive;
    this.isStaff = user.isStaff;
    this.isSuperuser = user.isSuperuser;
    this.#user = user;
    this.#options = options;
  }

  #loadRows(): Promise<PermissionRows> {
    const { load, backends, timeoutMs, onUnavailable } = this.#options;
    this.#rows ??= withinDeadline(load(this.#user.id, permissionScope(this.#user, backends) === 'every' ? 'every' : 'own'), timeoutMs).catch((error: unknown) => {
      const unavailable = new DjangoAuthUnavailableError(error);
      onUnavailable?.(unavailable);
      throw unavailable;
    });
    return this.#rows;
  }

  #loadGranted(): Promise<GrantedPermissions> {
    this.#granted ??= permissionScope(this.#user, this.#options.backends) === 'none' ? Promise.resolve(NO_PERMISSIONS) : this.#loadRows().then(grantedPermissions);
    return this.#granted;
  }

  // User.has_perm answers an active superuser before asking any backend: the checks then read nothing.
  #forChecks(): Promise<GrantedPermissions> {
    return isActiveSuperuser(this.#user) ? Promise.resolve(NO_PERMISSIONS) : this.#loadGranted();
  }

  /** User.has_perm(perm). */
  async hasPerm(perm: string): Promise<boolean> {
    return hasPerm(this.#user, await this.#forChecks(), perm);
  }

  /** User.has_perms(perms). */
  async hasPerms(perms: readonly string[]): Promise<boolean> {
    return hasPerms(this.#user, await this.#forChecks(), perms);
  }

  /** User.has_module_perms(app_label). */
  async hasModulePerms(appLabel: string): Promise<boolean> {
    return hasModulePerms(this.#user, await this.#forChecks(), appLabel);
  }

  /** get_all_permissions(), sorted. */
  async getAllPermissions(): Promise<string[]> {
    return pythonSorted((await this.#loadGranted()).all);
  }

  /** get_user_permissions(), sorted. */
  async getUserPermissions(): Promise<string[]> {
    return pythonSorted((await this.#loadGranted()).user);
  }

  /** get_group_permissions(), sorted. */
  async getGroupPermissions(): Promise<string[]> {
    return pythonSorted((await this.#loadGranted()).group);
  }

  /** The names of the user's groups, sorted. */
  async groups(): Promise<string[]> {
    return pythonSorted((await this.#loadRows()).groups);
  }
}
