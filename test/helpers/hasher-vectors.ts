import { readFileSync } from 'node:fs';
import {
  argon2Hasher,
  bcryptSha256Hasher,
  passwordHashers,
  pbkdf2Hasher,
  scryptHasher,
  type PasswordHasher,
  type PasswordHashers,
} from 'django-session-bridge/django';

/** Golden vectors written by real Django (scripts/django/make_hasher_vectors.py). */
export const HASHER_VECTOR_FILES = ['hashers-3.2.json', 'hashers-5.2.json'] as const;

export interface HasherDescription {
  algorithm: string;
  path: string;
  params: Record<string, number>;
}

export interface LoginCase {
  name: string;
  settings: Record<string, unknown>;
  session_before: Record<string, unknown> | null;
  old_row_exists: boolean;
  session_key_is_new: boolean;
  session: Record<string, unknown>;
  session_data: string;
  expire_date: string;
  set_cookie: string;
  vary: string | null;
  last_login: string;
  csrf_rotated: boolean;
}

export interface HasherVectors {
  django_version: string;
  secret_key: string;
  pbkdf2_default_iterations: number;
  configs: Record<'default' | 'fast', HasherDescription[]>;
  make_password: { config: 'default' | 'fast'; hasher: string; password: string; salt: string; encoded: string }[];
  check_password: {
    config: 'default' | 'fast';
    name: string;
    password: string;
    encoded: string;
    valid: boolean;
    setter_called: boolean;
    verify_password?: [boolean, boolean];
  }[];
  upgrades: { config: 'default' | 'fast'; name: string; password: string; stored: string; valid: boolean; upgraded: string; new_salt: string }[];
  login: { user: { id: number; username: string; password: string }; cases: LoginCase[] };
  cache_pickles: { backend: string; serializer: string; flags: number | null; bytes: string; session: Record<string, unknown> }[];
  cache_pickles_rich: { backend: string; serializer: string; flags: number | null; bytes: string; session_json: string }[];
  /** django-redis's JSONSerializer bytes of json.loads(session_json). */
  cache_json: { backend: string; serializer: string; bytes: string; session_json: string }[];
  /** With PickleSerializer (before Django 5.0): the db engine's session_data and the signed_cookies cookie. */
  pickle_sessions: { session_json: string; timestamp: number; db: string; signed_cookies: string }[];
}

export function loadHasherVectors(file: (typeof HASHER_VECTOR_FILES)[number]): HasherVectors {
  return JSON.parse(readFileSync(new URL(`../fixtures/vectors/${file}`, import.meta.url), 'utf8')) as HasherVectors;
}

function param(description: HasherDescription, name: string): number {
  const value = description.params[name];
  if (value === undefined) throw new Error(`${description.path} has no ${name}`);
  return value;
}

/** The hasher a vector file describes: Django's class attributes, rebuilt with this library's factories. */
function hasherFor(description: HasherDescription): PasswordHasher {
  switch (description.algorithm) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1':
      return pbkdf2Hasher({ algorithm: description.algorithm, iterations: param(description, 'iterations') });
    case 'argon2':
      return argon2Hasher({ timeCost: param(description, 'time_cost'), memoryCost: param(description, 'memory_cost'), parallelism: param(description, 'parallelism') });
    case 'bcrypt_sha256':
      return bcryptSha256Hasher({ rounds: param(description, 'rounds') });
    case 'scrypt':
      return scryptHasher({ workFactor: param(description, 'work_factor'), blockSize: param(description, 'block_size'), parallelism: param(description, 'parallelism') });
  }
  throw new Error(`no hasher for ${description.algorithm}`);
}

/** "default" is the library's own table for the version; "fast" is rebuilt from the recorded parameters. */
export function hashersFor(vectors: HasherVectors, config: 'default' | 'fast'): PasswordHashers {
  const djangoVersion = vectors.django_version;
  return config === 'default'
    ? passwordHashers({ djangoVersion })
    : passwordHashers({ djangoVersion, hashers: vectors.configs.fast.map(hasherFor) });
}
