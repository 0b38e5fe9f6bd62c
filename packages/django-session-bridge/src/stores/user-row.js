/** The user columns every store reads, Django's own names. */
export const USER_COLUMNS = ['id', 'password', 'is_active', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_superuser'];
function flag(value) {
    return value === true || value === 1 || value === 1n || value === '1';
}
/** A row of any driver as the user the checks read; the id never through a Number (it would round past 2^53). */
export function toDjangoUser(row) {
    return {
        id: BigInt(row.id),
        password: String(row.password),
        isActive: flag(row.is_active),
        username: String(row.username),
        firstName: String(row.first_name),
        lastName: String(row.last_name),
        email: String(row.email),
        isStaff: flag(row.is_staff),
        isSuperuser: flag(row.is_superuser),
    };
}
//# sourceMappingURL=user-row.js.map