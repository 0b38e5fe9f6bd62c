import { existsSync } from 'node:fs';
import type { DjangoSettings } from './django/settings.ts';

export type SessionEngine = 'db' | 'cached_db' | 'signed_cookies';
export type SessionStoreKind = 'sql' | 'prisma';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** Unset only in development, where `npm run dev` starts the embedded demo database. */
  databaseUrl: string | undefined;
  /** A read replica of DATABASE_URL's database for the session and user lookups (see src/sessions/replica.ts). */
  databaseReplicaUrl: string | undefined;
  /** Above this replay lag of a physical standby, the primary is asked instead; undefined: no bound. */
  databaseReplicaMaxLagMs: number | undefined;
  django: DjangoSettings;
  djangoVersion: string;
  sessionEngine: SessionEngine;
  sessionCookieName: string;
  userTable: string;
  loginUrl: string;
  logoutUrl: string;
  basePath: string;
  port: number;
  host: string;
  logLevel: LogLevel;
  production: boolean;
  dbTimeoutMs: number;
  dbPoolMax: number;
  sessionStore: SessionStoreKind;
  sessionCacheTtlMs: number;
  sessionCacheMax: number;
  webConcurrency: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENGINES: Record<string, SessionEngine> = {
  'django.contrib.sessions.backends.db': 'db',
  'django.contrib.sessions.backends.cached_db': 'cached_db',
  'django.contrib.sessions.backends.signed_cookies': 'signed_cookies',
};

const UNSUPPORTED_ENGINES: Record<string, string> = {
  'django.contrib.sessions.backends.cache':
    'the cache engine keeps sessions only in Django\'s cache, pickled; use "db" or "cached_db"',
  'django.contrib.sessions.backends.file': 'the file engine keeps sessions on Django\'s own disk; use "db" or "cached_db"',
};

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

function fail(name: string, message: string): never {
  throw new ConfigError(`${name} ${message}`);
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) fail(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) fail(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Comma-separated, or a JSON array of strings for values that contain commas. */
export function list(name: string, raw: string | undefined): string[] {
  const text = (raw ?? '').trim();
  if (!text.startsWith('[')) return text.split(',').map((item) => item.trim()).filter(Boolean);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(name, 'starts with "[" but is not a JSON array of strings');
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string' && item !== '')) {
    fail(name, 'must be a JSON array of non-empty strings');
  }
  return parsed;
}

function engine(raw: string | undefined): SessionEngine {
  const name = raw || 'django.contrib.sessions.backends.db';
  const full = name.includes('.') ? name : `django.contrib.sessions.backends.${name}`;
  const found = ENGINES[full];
  if (found) return found;
  fail('DJANGO_SESSION_ENGINE', UNSUPPORTED_ENGINES[full] ? `"${name}" is not supported: ${UNSUPPORTED_ENGINES[full]}` : `"${name}" is not a session engine this service can read (db, cached_db, signed_cookies)`);
}

function basePath(raw: string | undefined): string {
  const path = (raw ?? '/elixir').replace(/\/+$/, '');
  if (path !== '' && !/^\/[A-Za-z0-9._~\-/]*$/.test(path)) fail('BASE_PATH', `must be a path such as /elixir, got "${raw}"`);
  return path;
}

function djangoVersion(raw: string | undefined): { version: string; major: number; minor: number } {
  const version = raw || '5.2';
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) fail('DJANGO_VERSION', `must look like 3.2 or 5.2, got "${version}"`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 3 || (major === 3 && minor < 1)) fail('DJANGO_VERSION', `${version} is not supported: Django 3.1 or newer is required`);
  return { version, major, minor };
}

/** Reads and validates the environment once, at start-up. Throws ConfigError with a one-line message. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl === undefined && production) fail('DATABASE_URL', 'is required in production (point it at Django\'s database)');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    fail('DATABASE_URL', 'must be a postgresql:// URL to Django\'s database');
  }

  const databaseReplicaUrl = env.DATABASE_REPLICA_URL || undefined;
  if (databaseReplicaUrl !== undefined && databaseUrl === undefined) fail('DATABASE_REPLICA_URL', 'is set but DATABASE_URL is not: a replica needs its primary');
  if (databaseReplicaUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseReplicaUrl)) {
    fail('DATABASE_REPLICA_URL', 'must be a postgresql:// URL to a read replica of Django\'s database');
  }
  const maxLagSet = (env.DATABASE_REPLICA_MAX_LAG_MS ?? '') !== '';
  if (maxLagSet && databaseReplicaUrl === undefined) fail('DATABASE_REPLICA_MAX_LAG_MS', 'is set but DATABASE_REPLICA_URL is not');

  const secretKey = env.DJANGO_SECRET_KEY ?? '';
  if (secretKey === '') fail('DJANGO_SECRET_KEY', 'is required: set it to the SECRET_KEY of the Django site');
  const secretKeyFallbacks = list('DJANGO_SECRET_KEY_FALLBACKS', env.DJANGO_SECRET_KEY_FALLBACKS);
  const version = djangoVersion(env.DJANGO_VERSION);
  const hasFallbacks = version.major > 4 || (version.major === 4 && version.minor >= 1);
  if (secretKeyFallbacks.length > 0 && !hasFallbacks) {
    fail('DJANGO_SECRET_KEY_FALLBACKS', `is set, but Django ${version.version} has no SECRET_KEY_FALLBACKS (added in 4.1)`);
  }

  const backends = list('DJANGO_AUTHENTICATION_BACKENDS', env.DJANGO_AUTHENTICATION_BACKENDS);
  const cookieName = env.SESSION_COOKIE_NAME || 'sessionid';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) fail('SESSION_COOKIE_NAME', `"${cookieName}" is not a valid cookie name`);
  const userTable = env.DJANGO_USER_TABLE || 'auth_user';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(userTable)) fail('DJANGO_USER_TABLE', `"${userTable}" is not a table name`);

  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) fail('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const store = env.SESSION_STORE || 'sql';
  if (store !== 'sql' && store !== 'prisma') fail('SESSION_STORE', `must be "sql" or "prisma", got "${store}"`);

  return {
    databaseUrl,
    databaseReplicaUrl,
    databaseReplicaMaxLagMs: maxLagSet ? integer(env, 'DATABASE_REPLICA_MAX_LAG_MS', 0, 1) : undefined,
    django: {
      secretKey,
      secretKeyFallbacks,
      authenticationBackends: backends.length > 0 ? backends : ['django.contrib.auth.backends.ModelBackend'],
      acceptLegacy: version.major < 4,
      sessionCookieAge: integer(env, 'SESSION_COOKIE_AGE', 1_209_600, 1),
      maxSessionBytes: integer(env, 'SESSION_MAX_BYTES', 1_048_576, 1024),
    },
    djangoVersion: version.version,
    sessionEngine: engine(env.DJANGO_SESSION_ENGINE),
    sessionCookieName: cookieName,
    userTable,
    loginUrl: env.DJANGO_LOGIN_URL || '/accounts/login/',
    logoutUrl: env.DJANGO_LOGOUT_URL || '/accounts/logout/',
    basePath: basePath(env.BASE_PATH),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    logLevel,
    production,
    dbTimeoutMs: integer(env, 'DB_TIMEOUT_MS', 2000, 50),
    dbPoolMax: integer(env, 'DB_POOL_MAX', 10, 1, 1000),
    sessionStore: store,
    sessionCacheTtlMs: integer(env, 'SESSION_CACHE_TTL_MS', 0, 0),
    sessionCacheMax: integer(env, 'SESSION_CACHE_MAX', 10_000, 1),
    webConcurrency: integer(env, 'WEB_CONCURRENCY', 1, 1, 64),
  };
}

/** Development reads `.env` into the environment (never overriding it); production reads only the environment. */
export function loadDotEnv(path = '.env'): void {
  if (process.env.NODE_ENV !== 'production' && existsSync(path)) process.loadEnvFile(path);
}
