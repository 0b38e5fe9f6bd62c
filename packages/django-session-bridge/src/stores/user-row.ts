import type { DjangoUser } from '../django/index.ts';

/** The user columns every store reads, Django's own names. */
export const USER_COLUMNS = ['id', 'password', 'is_active', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_superuser'] as const;

/** A driver's row: ids as number, bigint or text; Django's booleans as booleans, 0/1 numbers or bigints. */
export type UserRow = Record<(typeof USER_COLUMNS)[number], unknown>;

function flag(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === '1';
}

/** A row of any driver as the user the checks read; the id never through a Number (it would round past 2^53). */
export function toDjangoUser(row: UserRow): DjangoUser {
  return {
    id: BigInt(row.id as number | bigint | string),
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
