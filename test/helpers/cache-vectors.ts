import { readFileSync } from 'node:fs';
import { atLeast } from './at-least.ts';
import type { VectorUser } from './vectors.ts';

/** Golden vectors written by real Django into real Redis and memcached (scripts/django/make_cache_vectors.py). */
export interface CacheCase {
  name: string;
  description: string;
  engine: 'cache' | 'cached_db';
  session_key: string;
  cache_key: string;
  /** The bytes the backend stored at cache_key (and memcached's flags); null when the entry was deleted. */
  stored: { hex: string; flags: number | null } | null;
  /** cached_db's django_session row. */
  row: { session_data: string; expire_date: string } | null;
  expected: { authenticated: boolean; user_id: number | null; error?: string };
}

export interface CacheConfiguration {
  name: string;
  backend: string;
  server: 'redis' | 'memcached';
  serializer: 'pickle' | 'json';
  compressor: 'none' | 'zlib';
  key_prefix: string;
  version: number;
  cases: CacheCase[];
}

export interface CacheVectors {
  django_version: string;
  secret_key: string;
  authentication_backends: string[];
  users: VectorUser[];
  configurations: CacheConfiguration[];
}

export const CACHE_VECTOR_FILES = ['cache-django-3.2.json', 'cache-django-5.2.json'];

/** A version's cache vectors: every backend configuration it has, each with at least its 12 cases. */
export function loadCacheVectors(file: string): CacheVectors {
  const vectors = JSON.parse(readFileSync(new URL(`../fixtures/vectors/${file}`, import.meta.url), 'utf8')) as CacheVectors;
  atLeast(vectors.django_version.startsWith('3.') ? 5 : 2, vectors.configurations, `cache configurations in ${file}`);
  for (const config of vectors.configurations) atLeast(12, config.cases, `cases of ${config.name} in ${file}`);
  return vectors;
}

/** The service's environment for a configuration, as that Django site is set up. */
export function cacheEnv(vectors: CacheVectors, config: CacheConfiguration, engine: 'cache' | 'cached_db', url: string): Record<string, string> {
  return {
    DJANGO_VERSION: vectors.django_version,
    DJANGO_SECRET_KEY: vectors.secret_key,
    DJANGO_AUTHENTICATION_BACKENDS: vectors.authentication_backends.join(','),
    DJANGO_SESSION_ENGINE: engine,
    DJANGO_CACHE_URL: url,
    DJANGO_CACHE_KEY_PREFIX: config.key_prefix,
    DJANGO_CACHE_VERSION: String(config.version),
    DJANGO_CACHE_SERIALIZER: config.serializer,
    DJANGO_CACHE_COMPRESSOR: config.compressor,
  };
}
