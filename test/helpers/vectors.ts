import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { DjangoUser } from 'django-session-bridge/django';
import type { DjangoSettings } from 'django-session-bridge/django';
import { atLeast } from './at-least.ts';

/** Golden vectors written by real Django (scripts/django/make_vectors.py). */
export interface VectorUser {
  id: number;
  username: string;
  password: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  first_name: string;
  last_name: string;
  email: string;
}

export interface VectorSettings {
  secret_key: string;
  secret_key_fallbacks: string[];
  authentication_backends: string[];
  session_cookie_age?: number;
}

export interface Expected {
  authenticated: boolean;
  user_id: number | null;
  error: string | null;
}

export interface SessionCase {
  name: string;
  description: string;
  settings: VectorSettings;
  users: VectorUser[];
  session_data: string;
  decoded: unknown;
  decode_error: string | null;
  expected: Expected;
}

export interface CookieCase {
  name: string;
  description: string;
  settings: VectorSettings;
  users: VectorUser[];
  cookie: string;
  now: number;
  expected: Expected;
}

export interface Vectors {
  django_version: string;
  session_cases: SessionCase[];
  signed_cookie_cases: CookieCase[];
  auth_hashes: { password: string; secret_key: string; algorithm: 'sha1' | 'sha256'; hash: string }[];
  salted_hmacs: { key_salt: string; value: string; secret: string; algorithm: 'sha1' | 'sha256'; hexdigest: string }[];
  signed_objects: { obj: unknown; salt: string; key: string; compress: boolean; signed: string; timestamp: number }[];
  base62: { int: number; encoded: string }[];
}

export const VECTOR_FILES = ['django-3.2.json', 'django-5.2.json'];

/** The fewest cases of each section a file may hold: what the generator writes today, or close below it. */
const MINIMUM_CASES = { session_cases: 90, signed_cookie_cases: 20, auth_hashes: 12, salted_hmacs: 10, signed_objects: 10, base62: 21 } as const;

/** A version's golden vectors, every section holding at least its minimum count of cases. */
export function loadVectors(file: string): Vectors {
  const vectors = JSON.parse(readFileSync(new URL(`../fixtures/vectors/${file}`, import.meta.url), 'utf8')) as Vectors;
  for (const [section, minimum] of Object.entries(MINIMUM_CASES)) atLeast<unknown>(minimum, vectors[section as keyof typeof MINIMUM_CASES], `${section} in ${file}`);
  return vectors;
}

/** The settings the service would be configured with to mirror the Django that wrote the vectors. */
export function settingsFor(vectors: Pick<Vectors, 'django_version'>, settings: VectorSettings): DjangoSettings {
  return {
    secretKey: settings.secret_key,
    secretKeyFallbacks: settings.secret_key_fallbacks,
    authenticationBackends: settings.authentication_backends,
    acceptLegacy: vectors.django_version.startsWith('3.'),
    sessionCookieAge: settings.session_cookie_age ?? 1_209_600,
    maxSessionBytes: 1_048_576,
  };
}

export function toDjangoUser(user: VectorUser): DjangoUser {
  return {
    id: BigInt(user.id),
    password: user.password,
    isActive: user.is_active,
    username: user.username,
    firstName: user.first_name,
    lastName: user.last_name,
    email: user.email,
    isStaff: user.is_staff,
    isSuperuser: user.is_superuser,
  };
}

/** auth_user holds exactly a vector case's users, as Django's database did when it judged the case. */
export async function replaceUsers(db: pg.Pool | pg.Client, users: readonly VectorUser[]): Promise<void> {
  await db.query('DELETE FROM auth_user');
  for (const u of users) {
    await db.query(
      `INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
      [u.id, u.password, u.is_superuser, u.username, u.first_name, u.last_name, u.email, u.is_staff, u.is_active],
    );
  }
}
