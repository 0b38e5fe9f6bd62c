import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { DjangoUser } from 'django-session-bridge/django';
import type { PermissionRows } from 'django-session-bridge/django';
import { atLeast } from './at-least.ts';

/** Golden vectors written by real Django (scripts/django/make_permission_vectors.py). */
export interface PermissionAnswers {
  get_all_permissions: string[];
  get_user_permissions: string[];
  get_group_permissions: string[];
  has_perm: Record<string, boolean>;
  has_perms: { perms: string[]; answer: boolean }[];
  has_module_perms: Record<string, boolean>;
  groups: string[];
}

export interface PermissionCase {
  authentication_backends: string[];
  username: string;
  /** The backend a log-in recorded, and whether Django's get_user() then returns the user. */
  session_backend: string;
  logged_in: boolean;
  answers: PermissionAnswers;
}

export interface VectorRows {
  django_content_type: { id: number; app_label: string; model: string }[];
  auth_permission: { id: number; name: string; content_type_id: number; codename: string }[];
  auth_group: { id: number; name: string }[];
  auth_group_permissions: { id: number; group_id: number; permission_id: number }[];
  auth_user: { id: number; username: string; is_active: boolean; is_staff: boolean; is_superuser: boolean }[];
  auth_user_groups: { id: number; user_id: number; group_id: number }[];
  auth_user_user_permissions: { id: number; user_id: number; permission_id: number }[];
}

export interface PermissionVectors {
  django_version: string;
  rows: VectorRows;
  cases: PermissionCase[];
}

export const PERMISSION_VECTOR_FILES = ['permissions-3.2.json', 'permissions-5.2.json'];

/** A version's permission vectors, with at least the 50 cases the generator writes today. */
export function loadPermissionVectors(file: string): PermissionVectors {
  const vectors = JSON.parse(readFileSync(new URL(`../fixtures/vectors/${file}`, import.meta.url), 'utf8')) as PermissionVectors;
  atLeast(50, vectors.cases, `permission cases in ${file}`);
  return vectors;
}

export function vectorUser(vectors: PermissionVectors, username: string): VectorRows['auth_user'][number] {
  const user = vectors.rows.auth_user.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username} in the vectors`);
  return { ...user };
}

/** The vector user as the session store hands it over. */
export function vectorDjangoUser(vectors: PermissionVectors, username: string): DjangoUser {
  const user = vectorUser(vectors, username);
  return {
    id: BigInt(user.id),
    password: '',
    isActive: user.is_active,
    username,
    firstName: '',
    lastName: '',
    email: '',
    isStaff: user.is_staff,
    isSuperuser: user.is_superuser,
  };
}

/** What the loader would read for a user, joined in memory from the vectors' rows (for the pure rules). */
export function rowsFor(vectors: PermissionVectors, userId: number, scope: 'own' | 'every'): PermissionRows {
  const { rows } = vectors;
  const named = (permissionId: number) => {
    const permission = rows.auth_permission.find((p) => p.id === permissionId);
    const contentType = rows.django_content_type.find((ct) => ct.id === permission?.content_type_id);
    if (!permission || !contentType) throw new Error(`permission ${permissionId} is not in the vectors`);
    return { appLabel: contentType.app_label, codename: permission.codename };
  };
  const groupIds = rows.auth_user_groups.filter((m) => m.user_id === userId).map((m) => m.group_id);
  const groups = rows.auth_group.filter((g) => groupIds.includes(g.id)).map((g) => g.name);
  if (scope === 'every') return { groups, permissions: rows.auth_permission.map((p) => ({ source: 'every', ...named(p.id) })) };
  return {
    groups,
    permissions: [
      ...rows.auth_user_user_permissions.filter((m) => m.user_id === userId).map((m) => ({ source: 'user' as const, ...named(m.permission_id) })),
      ...rows.auth_group_permissions.filter((m) => groupIds.includes(m.group_id)).map((m) => ({ source: 'group' as const, ...named(m.permission_id) })),
    ],
  };
}

export interface UserTables {
  /** The user table and its two many-to-many tables, with the user's column in them (Django: <model>_id). */
  user: string;
  groups: string;
  userPermissions: string;
  userColumn: string;
}

export const DEFAULT_USER_TABLES: UserTables = {
  user: 'auth_user',
  groups: 'auth_user_groups',
  userPermissions: 'auth_user_user_permissions',
  userColumn: 'user_id',
};

/** Inserts the vectors' rows as Django created them; every user gets `password`. */
export async function insertPermissionRows(db: pg.Pool, vectors: PermissionVectors, password: string, tables = DEFAULT_USER_TABLES): Promise<void> {
  const { rows } = vectors;
  const insert = async (table: string, columns: string[], values: unknown[][]) => {
    for (const row of values) {
      await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, row);
    }
  };
  await insert('django_content_type', ['id', 'app_label', 'model'], rows.django_content_type.map((r) => [r.id, r.app_label, r.model]));
  await insert('auth_permission', ['id', 'name', 'content_type_id', 'codename'], rows.auth_permission.map((r) => [r.id, r.name, r.content_type_id, r.codename]));
  await insert('auth_group', ['id', 'name'], rows.auth_group.map((r) => [r.id, r.name]));
  await insert('auth_group_permissions', ['id', 'group_id', 'permission_id'], rows.auth_group_permissions.map((r) => [r.id, r.group_id, r.permission_id]));
  await insert(
    tables.user,
    ['id', 'password', 'is_superuser', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'date_joined'],
    rows.auth_user.map((r) => [r.id, password, r.is_superuser, r.username, '', '', '', r.is_staff, r.is_active, new Date(0)]),
  );
  await insert(tables.groups, ['id', tables.userColumn, 'group_id'], rows.auth_user_groups.map((r) => [r.id, r.user_id, r.group_id]));
  await insert(tables.userPermissions, ['id', tables.userColumn, 'permission_id'], rows.auth_user_user_permissions.map((r) => [r.id, r.user_id, r.permission_id]));
}
