import { readFileSync } from 'node:fs';
import { atLeast } from './at-least.ts';
import type { Expected, SessionCase } from './vectors.ts';

/** A session Django's SessionStore wrote with PickleSerializer. */
export interface PickleSessionCase extends Omit<SessionCase, 'expected' | 'decode_error'> {
  /** Django's verdict; null for hostile payloads, never run through Django. */
  expected: Expected | null;
  /** The reason code the service must give. */
  reason: string;
}

/** test/fixtures/vectors/pickle.json, written by scripts/django/make_pickle_vectors.py with real Python and Django. */
export interface PickleVectors {
  django_version: string;
  python_version: string;
  /** The file the hostile payloads would create if anything ran them. */
  marker: string;
  values: { name: string; description: string; protocol: number | null; pickle: string; expected: unknown }[];
  refused: { name: string; description: string; pickle: string; reason: 'unsupported_pickle' | 'bad_pickle' | 'too_large'; python_error: string | null }[];
  sessions: PickleSessionCase[];
}

/** The pickle vectors, every group holding at least close to the cases the generator writes today. */
export function loadPickleVectors(): PickleVectors {
  const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors/pickle.json', import.meta.url), 'utf8')) as PickleVectors;
  atLeast(40, vectors.values, 'pickle values');
  atLeast(45, vectors.refused, 'refused pickles');
  atLeast(15, vectors.sessions, 'pickled sessions');
  return vectors;
}
