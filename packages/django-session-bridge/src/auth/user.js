import { grantedPermissions, hasModulePerms, hasPerm, hasPerms, isActiveSuperuser, NO_PERMISSIONS, permissionScope, pythonSorted, } from "../django/index.js";
import { withinDeadline } from "../deadline.js";
import { DjangoAuthUnavailableError } from "./unavailable.js";
/** The public fields of a user row. */
export function publicUser(user) {
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
function once(work) {
    let result;
    return () => (result ??= work());
}
/**
 * One user's permission methods. Nothing is read until a method is called; then one query reads the user's
 * groups and permissions together, and every later call reuses it, as Django's user object caches them
 * (_perm_cache). A method Django answers without its tables (an active superuser's has_perm, an inactive
 * user's permissions) reads nothing.
 */
export function permissionsFor({ load, backends, timeoutMs, onUnavailable }) {
    return (user) => {
        const scope = permissionScope(user, backends);
        const rows = once(async () => {
            try {
                return await withinDeadline(load(user.id, scope === 'every' ? 'every' : 'own'), timeoutMs);
            }
            catch (error) {
                const unavailable = new DjangoAuthUnavailableError(error);
                onUnavailable?.(unavailable);
                throw unavailable;
            }
        });
        const granted = once(async () => (scope === 'none' ? NO_PERMISSIONS : grantedPermissions(await rows())));
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
export function withPermissions(user, permissions) {
    const methods = Object.fromEntries(Object.entries(permissions).map(([name, value]) => [name, { value, enumerable: false }]));
    return Object.defineProperties(user, methods);
}
//# sourceMappingURL=user.js.map