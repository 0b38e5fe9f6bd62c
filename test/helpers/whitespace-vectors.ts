import { readFileSync } from 'node:fs';
import type { DjangoSettings } from 'django-session-bridge/django';
import { settingsFor, type Expected, type VectorUser } from './vectors.ts';

/** Golden vectors for Python's whitespace rules in Django (scripts/django/make_whitespace_vectors.py). */
export interface WhitespaceVectors {
  django_version: string;
  python_version: string;
  secret_key: string;
  users: VectorUser[];
  /** Every code point where str.isspace() is true. */
  python_spaces: number[];
  /** alice's login with a character before, after or around her _auth_user_id, judged by get_user(). */
  user_id_cases: { name: string; code_point: number; isspace: boolean; user_id: string; session_data: string; expected: Expected }[];
  /** parse_cookie() of a header with the character around every name and value. */
  cookie_cases: { name: string; code_point: number; isspace: boolean; header: string; parsed: Record<string, string> }[];
}

export const WHITESPACE_VECTOR_FILES = ['whitespace-3.2.json', 'whitespace-5.2.json'];

export function loadWhitespaceVectors(file: string): WhitespaceVectors {
  return JSON.parse(readFileSync(new URL(`../fixtures/vectors/${file}`, import.meta.url), 'utf8')) as WhitespaceVectors;
}

/** The settings of the Django that wrote the vectors. */
export function whitespaceSettings(vectors: WhitespaceVectors): DjangoSettings {
  return settingsFor(vectors, { secret_key: vectors.secret_key, secret_key_fallbacks: [], authentication_backends: ['django.contrib.auth.backends.ModelBackend'] });
}
