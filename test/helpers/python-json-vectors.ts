import { readFileSync } from 'node:fs';
import type { DjangoSettings, DjangoUser } from 'django-session-bridge/django';
import { settingsFor, toDjangoUser, type VectorUser } from './vectors.ts';

/** Golden vectors for json.loads as Django reads sessions (scripts/django/make_python_json_vectors.py). */
export interface PythonJsonCase {
  name: string;
  description: string;
  /** The JSON text: a session payload's Latin-1 bytes, or a cache value's UTF-8 bytes. */
  text: string;
  /** The text signed as db-engine session_data; null when the text is not Latin-1. */
  session_data: string | null;
  /** SessionStore.decode() of session_data, tagged ({"$float": …}, {"$int": …}); absent without session_data. */
  decoded?: unknown;
  decode_error?: string | null;
  /** get_user()'s verdict on that session; user ids are strings (they pass 2^53). */
  expected?: { authenticated: boolean; user_id: string | null; error: string | null };
  /** django-redis's JSONSerializer.loads of the text's UTF-8 bytes. */
  cache: { value: unknown; error: string | null };
}

export interface PythonJsonVectors {
  django_version: string;
  python_version: string;
  secret_key: string;
  users: (Omit<VectorUser, 'id'> & { id: string })[];
  cases: PythonJsonCase[];
}

export const PYTHON_JSON_VECTOR_FILES = ['python-json-3.2.json', 'python-json-5.2.json'];

export function loadPythonJsonVectors(file: string): PythonJsonVectors {
  return JSON.parse(readFileSync(new URL(`../fixtures/vectors/${file}`, import.meta.url), 'utf8')) as PythonJsonVectors;
}

/** The vectors' users, their ids read exactly. */
export function pythonJsonUsers(vectors: PythonJsonVectors): DjangoUser[] {
  return vectors.users.map((user) => ({ ...toDjangoUser({ ...user, id: 0 }), id: BigInt(user.id) }));
}

/** The settings of the Django that wrote the vectors. */
export function pythonJsonSettings(vectors: PythonJsonVectors): DjangoSettings {
  return settingsFor(vectors, { secret_key: vectors.secret_key, secret_key_fallbacks: [], authentication_backends: ['django.contrib.auth.backends.ModelBackend'] });
}
