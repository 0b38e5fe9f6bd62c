import { existsSync } from 'node:fs';
import { providerOf } from './databases/url.ts';
import type { CacheCompressor, CacheSerializer } from 'django-session-bridge/django';
import type { CsrfSettings } from 'django-session-bridge/django';
import type { ProxySettings } from 'django-session-bridge/django';
import type { DjangoSettings } from 'django-session-bridge/django';
import { isTimeZone } from 'django-session-bridge/django';

export type SessionEngine = 'db' | 'cached_db' | 'cache' | 'signed_cookies';
export type SessionStoreKind = 'sql' | 'prisma';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Django's session cache (SESSION_CACHE_ALIAS): read by the cache engine, and by cached_db when set. */
export interface CacheConfig {
  kind: 'redis' | 'memcached';
  url: string;
  /** The alias's KEY_PREFIX and VERSION, around every key. */
  keyPrefix: string;
  version: number;
  /** How the Redis backend encodes values; memcached values say it in their flags. */
  serializer: CacheSerializer;
  compressor: CacheCompressor;
}

export interface Config {
  /** Unset only in development, where `npm run dev` starts the embedded demo database. */
  databaseUrl: string | undefined;
  /** A read replica of DATABASE_URL's database for the session and user lookups (see src/sessions/replica.ts). */
  databaseReplicaUrl: string | undefined;
  /** Above this replay lag of a physical standby, the primary is asked instead; undefined: no bound. */
  databaseReplicaMaxLagMs: number | undefined;
  django: DjangoSettings;
  djangoVersion: string;
  /** Django's USE_TZ and TIME_ZONE: how MySQL's and SQLite's naive expire_date is read. */
  useTz: boolean;
  timeZone: string;
  sessionEngine: SessionEngine;
  cache: CacheConfig | undefined;
  sessionCookieName: string;
  userTable: string;
  loginUrl: string;
  logoutUrl: string;
  adminLoginUrl: string;
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
  csrf: CsrfConfig;
  proxy: ProxySettings;
}

/** Django's CSRF_* settings: the rules, and the cookie's name and attributes. */
export interface CsrfConfig extends CsrfSettings {
  cookieName: string;
  /** CSRF_COOKIE_AGE in seconds; null for a browser-session cookie (Django's None). */
  cookieAge: number | null;
  cookiePath: string;
  cookieSecure: boolean;
  cookieHttpOnly: boolean;
  cookieSameSite: 'Lax' | 'Strict' | 'None' | false;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENGINES: Record<string, SessionEngine> = {
  'django.contrib.sessions.backends.db': 'db',
  'django.contrib.sessions.backends.cached_db': 'cached_db',
  'django.contrib.sessions.backends.cache': 'cache',
  'django.contrib.sessions.backends.signed_cookies': 'signed_cookies',
};

const UNSUPPORTED_ENGINES: Record<string, string> = {
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

/** Python's spellings of a boolean setting. */
function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  fail(name, `must be true or false, got "${env[name]}"`);
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
  fail('DJANGO_SESSION_ENGINE', UNSUPPORTED_ENGINES[full] ? `"${name}" is not supported: ${UNSUPPORTED_ENGINES[full]}` : `"${name}" is not a session engine this service can read (db, cached_db, cache, signed_cookies)`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[]): T {
  const raw = env[name] || values[0];
  if (!values.includes(raw as T)) fail(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function cacheConfig(env: Env, sessionEngine: SessionEngine): CacheConfig | undefined {
  const url = env.DJANGO_CACHE_URL || undefined;
  if (url === undefined) {
    if (sessionEngine === 'cache') fail('DJANGO_CACHE_URL', 'is required with the cache engine: the redis:// or memcached:// server of SESSION_CACHE_ALIAS');
    return undefined;
  }
  if (sessionEngine !== 'cache' && sessionEngine !== 'cached_db') fail('DJANGO_CACHE_URL', `is only read by the cache and cached_db engines, not ${sessionEngine}`);
  const kind = /^rediss?:\/\//.test(url) ? 'redis' : url.startsWith('memcached://') ? 'memcached' : fail('DJANGO_CACHE_URL', 'must be a redis://, rediss:// or memcached:// URL');
  // Django hashes keys over several memcached servers with pymemcache's HashClient; another client would not find them.
  if (kind === 'memcached' && url.includes(',')) fail('DJANGO_CACHE_URL', 'names one memcached server only');
  const serializer = oneOf<CacheSerializer>(env, 'DJANGO_CACHE_SERIALIZER', ['pickle', 'json']);
  const compressor = oneOf<CacheCompressor>(env, 'DJANGO_CACHE_COMPRESSOR', ['none', 'zlib']);
  if (kind === 'memcached' && (serializer !== 'pickle' || compressor !== 'none')) {
    fail(serializer !== 'pickle' ? 'DJANGO_CACHE_SERIALIZER' : 'DJANGO_CACHE_COMPRESSOR', 'applies to django-redis only: PyMemcacheCache always pickles');
  }
  return { kind, url, keyPrefix: env.DJANGO_CACHE_KEY_PREFIX ?? '', version: integer(env, 'DJANGO_CACHE_VERSION', 1, 0), serializer, compressor };
}

const SERIALIZERS: Record<string, 'json' | 'pickle'> = {
  json: 'json',
  pickle: 'pickle',
  'django.contrib.sessions.serializers.JSONSerializer': 'json',
  'django.contrib.sessions.serializers.PickleSerializer': 'pickle',
};

function serializer(raw: string | undefined, version: { version: string; major: number }): 'json' | 'pickle' {
  const found = SERIALIZERS[raw || 'json'];
  if (found === undefined) fail('DJANGO_SESSION_SERIALIZER', `must be "json" or "pickle", got "${raw}"`);
  if (found === 'pickle' && version.major >= 5) {
    fail('DJANGO_SESSION_SERIALIZER', `is "pickle", but Django 5.0 removed PickleSerializer and DJANGO_VERSION is ${version.version}`);
  }
  return found;
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

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  fail(name, `must be true or false, got "${env[name]}"`);
}

function cookieName(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) fail(name, `"${value}" is not a valid cookie name`);
  return value;
}

function csrfConfig(env: Env, before40: boolean): CsrfConfig {
  const trustedOrigins = list('CSRF_TRUSTED_ORIGINS', env.CSRF_TRUSTED_ORIGINS);
  // Django 4.0 made CSRF_TRUSTED_ORIGINS origins (scheme included); before, they were host names.
  const bad = trustedOrigins.find((origin) => before40 === /^[a-z][a-z0-9+.-]*:\/\//i.test(origin));
  if (bad !== undefined) fail('CSRF_TRUSTED_ORIGINS', before40 ? `"${bad}" must be a host such as .example.com before Django 4.0` : `"${bad}" must start with a scheme such as https:// (Django 4.0+)`);
  // Django's set_cookie takes any case of lax, strict and none.
  const sameSite = (env.CSRF_COOKIE_SAMESITE || 'Lax').toLowerCase();
  const sameSites = { lax: 'Lax', strict: 'Strict', none: 'None', false: false } as const;
  if (!(sameSite in sameSites)) fail('CSRF_COOKIE_SAMESITE', `must be Lax, Strict, None or False, got "${env.CSRF_COOKIE_SAMESITE}"`);
  const header = env.CSRF_HEADER_NAME || 'HTTP_X_CSRFTOKEN';
  if (!/^HTTP_[A-Z0-9_]+$/.test(header)) fail('CSRF_HEADER_NAME', `must be a request.META name such as HTTP_X_CSRFTOKEN, got "${header}"`);
  return {
    before40,
    useSessions: flag(env, 'CSRF_USE_SESSIONS'),
    cookieDomain: env.CSRF_COOKIE_DOMAIN || null,
    sessionCookieDomain: env.SESSION_COOKIE_DOMAIN || null,
    trustedOrigins,
    headerName: header,
    cookieName: cookieName(env, 'CSRF_COOKIE_NAME', 'csrftoken'),
    cookieAge: env.CSRF_COOKIE_AGE === 'None' ? null : integer(env, 'CSRF_COOKIE_AGE', 31_449_600, 0),
    cookiePath: env.CSRF_COOKIE_PATH || '/',
    cookieSecure: flag(env, 'CSRF_COOKIE_SECURE'),
    cookieHttpOnly: flag(env, 'CSRF_COOKIE_HTTPONLY'),
    cookieSameSite: sameSites[sameSite as keyof typeof sameSites],
  };
}

function proxyConfig(env: Env, firstProxyValue: boolean): ProxySettings {
  const raw = list('SECURE_PROXY_SSL_HEADER', env.SECURE_PROXY_SSL_HEADER);
  if (raw.length !== 0 && (raw.length !== 2 || !/^HTTP_[A-Z0-9_]+$/.test(raw[0]!))) {
    fail('SECURE_PROXY_SSL_HEADER', 'must be "HTTP_X_FORWARDED_PROTO,https": a request.META header name and the value meaning HTTPS');
  }
  return {
    useXForwardedHost: flag(env, 'USE_X_FORWARDED_HOST'),
    secureProxySslHeader: raw.length === 2 ? { header: raw[0]!, value: raw[1]! } : null,
    firstProxyValue,
  };
}

/** Reads and validates the environment once, at start-up. Throws ConfigError with a one-line message. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl === undefined && production) fail('DATABASE_URL', 'is required in production (point it at Django\'s database)');
  if (databaseUrl !== undefined && providerOf(databaseUrl) === null) {
    fail('DATABASE_URL', 'must be a postgresql://, mysql:// (or mariadb://) or file:/path/db.sqlite3 URL to Django\'s database');
  }
  const useTz = boolean(env, 'DJANGO_USE_TZ', true);
  const timeZone = env.DJANGO_TIME_ZONE || 'UTC';
  if (!isTimeZone(timeZone)) fail('DJANGO_TIME_ZONE', `"${timeZone}" is not a time zone name such as UTC or America/Chicago`);

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

  const sessionEngine = engine(env.DJANGO_SESSION_ENGINE);
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
      serializer: serializer(env.DJANGO_SESSION_SERIALIZER, version),
    },
    djangoVersion: version.version,
    useTz,
    timeZone,
    sessionEngine,
    cache: cacheConfig(env, sessionEngine),
    sessionCookieName: cookieName,
    userTable,
    loginUrl: env.DJANGO_LOGIN_URL || '/accounts/login/',
    logoutUrl: env.DJANGO_LOGOUT_URL || '/accounts/logout/',
    adminLoginUrl: env.DJANGO_ADMIN_LOGIN_URL || '/admin/login/',
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
    csrf: csrfConfig(env, version.major < 4),
    proxy: proxyConfig(env, hasFallbacks),
  };
}

/** Development reads `.env` into the environment (never overriding it); production reads only the environment. */
export function loadDotEnv(path = '.env'): void {
  if (process.env.NODE_ENV !== 'production' && existsSync(path)) process.loadEnvFile(path);
}
