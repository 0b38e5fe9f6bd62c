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
const EMPTY = new Set();
export const NO_PERMISSIONS = { user: EMPTY, group: EMPTY, all: EMPTY };
export function permissionScope(user, backends) {
    if (!user.isActive || !backends.some((backend) => MODEL_BACKENDS.has(backend)))
        return 'none';
    return user.isSuperuser ? 'every' : 'own';
}
/** User.has_perm's and has_module_perms' short-circuit, taken before any backend is asked. */
export function isActiveSuperuser(user) {
    return user.isActive && user.isSuperuser;
}
/** The rows' permissions as ModelBackend names them, content_type.app_label + "." + codename. */
export function grantedPermissions(rows) {
    const user = new Set();
    const group = new Set();
    for (const { source, appLabel, codename } of rows.permissions) {
        const name = `${appLabel}.${codename}`;
        if (source !== 'group')
            user.add(name);
        if (source !== 'user')
            group.add(name);
    }
    return { user, group, all: new Set([...user, ...group]) };
}
/** User.has_perm: `granted` is what the backends grant (NO_PERMISSIONS for scope `none`). */
export function hasPerm(user, granted, perm) {
    return isActiveSuperuser(user) || (user.isActive && granted.all.has(perm));
}
/** User.has_perms: every one of them (so an empty list is always granted). */
export function hasPerms(user, granted, perms) {
    // Django 5.2 raises ValueError for a string; 3.2 would read it as a list of one-letter permissions.
    if (typeof perms === 'string')
        throw new TypeError('perm_list must be an iterable of permissions.');
    return perms.every((perm) => hasPerm(user, granted, perm));
}
/** User.has_module_perms: any permission whose part before the first "." is the app label. */
export function hasModulePerms(user, granted, appLabel) {
    if (isActiveSuperuser(user))
        return true;
    if (!user.isActive)
        return false;
    for (const perm of granted.all) {
        if (perm.slice(0, perm.indexOf('.')) === appLabel)
            return true;
    }
    return false;
}
function compareCodePoints(a, b) {
    const left = Array.from(a);
    const right = Array.from(b);
    for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
        const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
        if (difference !== 0)
            return difference;
    }
    return left.length - right.length;
}
/** Python's sorted() of strings: by code point, where JavaScript's default sort compares UTF-16 units. */
export function pythonSorted(values) {
    return [...values].sort(compareCodePoints);
}
//# sourceMappingURL=permissions.js.map