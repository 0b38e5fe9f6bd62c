import { readFileSync } from 'node:fs';
import type { Expected, VectorSettings, VectorUser } from './vectors.ts';

/** test/fixtures/vectors/pickle.json, written by scripts/django/make_pickle_vectors.py with real Python and Django. */
export interface PickleVectors {
  django_version: string;
  python_version: string;
  /** The file the hostile payloads would create if anything ran them. */
  marker: string;
  values: { name: string; description: string; protocol: number | null; pickle: string; expected: unknown }[];
  refused: { name: string; description: string; pickle: string; reason: 'unsupported_pickle' | 'bad_pickle' | 'too_large'; python_error: string | null }[];
  sessions: {
    name: string;
    description: string;
    settings: VectorSettings;
    users: VectorUser[];
    session_data: string;
    decoded: unknown;
    /** Django's verdict; null for hostile payloads, never run through Django. */
    expected: Expected | null;
    /** The reason code the service must give. */
    reason: string;
  }[];
}

export function loadPickleVectors(): PickleVectors {
  return JSON.parse(readFileSync(new URL('../fixtures/vectors/pickle.json', import.meta.url), 'utf8')) as PickleVectors;
}
