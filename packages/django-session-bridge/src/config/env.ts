import { fail } from './config-error.ts';
import { resolveSettings, type DjangoSettingsOptions, type SettingName } from './options.ts';
import type { DjangoConfig } from './settings.ts';

/** An environment: process.env, or any map of variable names to values. */
export type Env = Record<string, string | undefined>;

/** The environment variable of each option: the same names the service reads, so one `.env` serves both. */
export const ENV_NAMES = {
  databaseUrl: 'DATABASE_URL',
  secretKey: 'DJANGO_SECRET_KEY',
  secretKeyFallbacks: 'DJANGO_SECRET_KEY_FALLBACKS',
  djangoVersion: 'DJANGO_VERSION',
  sessionCookieName: 'SESSION_COOKIE_NAME',
  sessionCookieAge: 'SESSION_COOKIE_AGE',
  sessionEngine: 'DJANGO_SESSION_ENGINE',
  sessionSerializer: 'DJANGO_SESSION_SERIALIZER',
  authenticationBackends: 'DJANGO_AUTHENTICATION_BACKENDS',
  authUserModel: 'DJANGO_AUTH_USER_MODEL',
  userTable: 'DJANGO_USER_TABLE',
  useTz: 'DJANGO_USE_TZ',
  timeZone: 'DJANGO_TIME_ZONE',
  cacheUrl: 'DJANGO_CACHE_URL',
  cacheKeyPrefix: 'DJANGO_CACHE_KEY_PREFIX',
  cacheVersion: 'DJANGO_CACHE_VERSION',
  cacheSerializer: 'DJANGO_CACHE_SERIALIZER',
  cacheCompressor: 'DJANGO_CACHE_COMPRESSOR',
  loginUrl: 'DJANGO_LOGIN_URL',
  logoutUrl: 'DJANGO_LOGOUT_URL',
  adminLoginUrl: 'DJANGO_ADMIN_LOGIN_URL',
  csrfUseSessions: 'CSRF_USE_SESSIONS',
  csrfCookieName: 'CSRF_COOKIE_NAME',
  csrfCookieAge: 'CSRF_COOKIE_AGE',
  csrfCookieDomain: 'CSRF_COOKIE_DOMAIN',
  csrfCookiePath: 'CSRF_COOKIE_PATH',
  csrfCookieSecure: 'CSRF_COOKIE_SECURE',
  csrfCookieHttpOnly: 'CSRF_COOKIE_HTTPONLY',
  csrfCookieSameSite: 'CSRF_COOKIE_SAMESITE',
  csrfHeaderName: 'CSRF_HEADER_NAME',
  csrfTrustedOrigins: 'CSRF_TRUSTED_ORIGINS',
  sessionCookieDomain: 'SESSION_COOKIE_DOMAIN',
  useXForwardedHost: 'USE_X_FORWARDED_HOST',
  secureProxySslHeader: 'SECURE_PROXY_SSL_HEADER',
  debug: 'DJANGO_DEBUG',
  maxSessionBytes: 'SESSION_MAX_BYTES',
  timeoutMs: 'DB_TIMEOUT_MS',
  poolMax: 'DB_POOL_MAX',
  decisionCacheTtlMs: 'SESSION_CACHE_TTL_MS',
  decisionCacheMax: 'SESSION_CACHE_MAX',
  replicaUrl: 'DATABASE_REPLICA_URL',
  replicaMaxLagMs: 'DATABASE_REPLICA_MAX_LAG_MS',
} as const satisfies Record<keyof DjangoSettingsOptions, string>;

/** Names a setting by its environment variable, in messages. */
export const envName: SettingName = (option) => ENV_NAMES[option];

function text(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** A whole number, or undefined when unset. */
function integer(env: Env, name: string): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) fail(name, `must be a whole number, got "${raw}"`);
  return Number(raw);
}

/** Python's spellings of a boolean setting. */
function boolean(env: Env, name: string): boolean | undefined {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return undefined;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  fail(name, `must be true or false, got "${env[name]}"`);
}

/** The strict spelling Django's own settings files use for these flags: true/false or 1/0. */
function flag(env: Env, name: string): boolean | undefined {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '') return undefined;
  if (raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  fail(name, `must be true or false, got "${env[name]}"`);
}

/** Comma-separated, or a JSON array of strings for values that contain commas. */
export function list(name: string, raw: string | undefined): string[] {
  const value = (raw ?? '').trim();
  if (!value.startsWith('[')) return value.split(',').map((item) => item.trim()).filter(Boolean);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    fail(name, 'starts with "[" but is not a JSON array of strings');
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string' && item !== '')) {
    fail(name, 'must be a JSON array of non-empty strings');
  }
  return parsed;
}

function secureProxy(env: Env): readonly [string, string] | null {
  const name = ENV_NAMES.secureProxySslHeader;
  const raw = list(name, env[name]);
  if (raw.length === 0) return null;
  if (raw.length !== 2) fail(name, 'must be "HTTP_X_FORWARDED_PROTO,https": a request.META header name and the value meaning HTTPS');
  return [raw[0]!, raw[1]!];
}

/** The library's options from environment variables (ENV_NAMES), each checked for its type. */
export function djangoOptionsFromEnv(env: Env = process.env): DjangoSettingsOptions {
  const n = ENV_NAMES;
  const csrfCookieAge = text(env, n.csrfCookieAge) === 'None' ? null : integer(env, n.csrfCookieAge);
  const sameSite = text(env, n.csrfCookieSameSite);
  return {
    databaseUrl: text(env, n.databaseUrl),
    secretKey: env[n.secretKey] ?? '',
    secretKeyFallbacks: list(n.secretKeyFallbacks, env[n.secretKeyFallbacks]),
    djangoVersion: text(env, n.djangoVersion),
    sessionCookieName: text(env, n.sessionCookieName),
    sessionCookieAge: integer(env, n.sessionCookieAge),
    sessionEngine: text(env, n.sessionEngine),
    sessionSerializer: text(env, n.sessionSerializer),
    authenticationBackends: list(n.authenticationBackends, env[n.authenticationBackends]),
    authUserModel: text(env, n.authUserModel),
    userTable: text(env, n.userTable),
    useTz: boolean(env, n.useTz),
    timeZone: text(env, n.timeZone),
    cacheUrl: text(env, n.cacheUrl),
    cacheKeyPrefix: env[n.cacheKeyPrefix],
    cacheVersion: integer(env, n.cacheVersion),
    cacheSerializer: text(env, n.cacheSerializer),
    cacheCompressor: text(env, n.cacheCompressor),
    loginUrl: text(env, n.loginUrl),
    logoutUrl: text(env, n.logoutUrl),
    adminLoginUrl: text(env, n.adminLoginUrl),
    csrfUseSessions: flag(env, n.csrfUseSessions),
    csrfCookieName: text(env, n.csrfCookieName),
    csrfCookieAge,
    csrfCookieDomain: text(env, n.csrfCookieDomain),
    csrfCookiePath: text(env, n.csrfCookiePath),
    csrfCookieSecure: flag(env, n.csrfCookieSecure),
    csrfCookieHttpOnly: flag(env, n.csrfCookieHttpOnly),
    csrfCookieSameSite: sameSite?.toLowerCase() === 'false' ? false : sameSite,
    csrfHeaderName: text(env, n.csrfHeaderName),
    csrfTrustedOrigins: list(n.csrfTrustedOrigins, env[n.csrfTrustedOrigins]),
    sessionCookieDomain: text(env, n.sessionCookieDomain),
    useXForwardedHost: flag(env, n.useXForwardedHost),
    secureProxySslHeader: secureProxy(env),
    debug: flag(env, n.debug),
    maxSessionBytes: integer(env, n.maxSessionBytes),
    timeoutMs: integer(env, n.timeoutMs),
    poolMax: integer(env, n.poolMax),
    decisionCacheTtlMs: integer(env, n.decisionCacheTtlMs),
    decisionCacheMax: integer(env, n.decisionCacheMax),
    replicaUrl: text(env, n.replicaUrl),
    replicaMaxLagMs: integer(env, n.replicaMaxLagMs),
  };
}

/** The environment's settings, validated, with messages naming the variables. */
export function djangoConfigFromEnv(env: Env = process.env): DjangoConfig {
  return resolveSettings(djangoOptionsFromEnv(env), envName);
}
