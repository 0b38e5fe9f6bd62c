import { isTimeZone } from '../django/index.ts';
import type { CacheCompressor, CacheSerializer } from '../django/index.ts';
import { fail } from './config-error.ts';
import type { CacheConfig, CsrfConfig, DjangoConfig, SessionEngine } from './settings.ts';

/**
 * Django's settings, camelCased, each with Django's default. Only `secretKey` and a database (`databaseUrl`,
 * or an open `database` or `store` given to createDjangoAuth) are required.
 */
export interface DjangoSettingsOptions {
  /** postgresql://, mysql:// (or mariadb://) or file:/path/db.sqlite3: Django's database, read-only. */
  databaseUrl?: string;
  /** SECRET_KEY. */
  secretKey: string;
  /** SECRET_KEY_FALLBACKS (Django 4.1+). */
  secretKeyFallbacks?: readonly string[];
  /** Django's version, `3.2`…`6.1`: what it accepts and writes differs (default `5.2`). */
  djangoVersion?: string;
  /** SESSION_COOKIE_NAME (default `sessionid`). */
  sessionCookieName?: string;
  /** SESSION_COOKIE_AGE in seconds (default two weeks). */
  sessionCookieAge?: number;
  /** SESSION_ENGINE: `db` (default), `cached_db`, `cache`, `signed_cookies`, or the full module path. */
  sessionEngine?: string;
  /** SESSION_SERIALIZER: `json` (default) or `pickle` (Django before 5.0). */
  sessionSerializer?: string;
  /** AUTHENTICATION_BACKENDS (default ModelBackend). */
  authenticationBackends?: readonly string[];
  /** AUTH_USER_MODEL (default `auth.User`). */
  authUserModel?: string;
  /** The user model's db_table, when not Django's default for authUserModel. */
  userTable?: string;
  /** USE_TZ (default true) and TIME_ZONE (default UTC): how MySQL's and SQLite's naive expiry is read. */
  useTz?: boolean;
  timeZone?: string;
  /** The cache of SESSION_CACHE_ALIAS for the cache and cached_db engines: redis://, rediss:// or memcached://. */
  cacheUrl?: string;
  /** The cache's KEY_PREFIX (default '') and VERSION (default 1). */
  cacheKeyPrefix?: string;
  cacheVersion?: number;
  /** django-redis's serializer (`pickle` default, `json`) and compressor (`none` default, `zlib`). */
  cacheSerializer?: string;
  cacheCompressor?: string;
  /** LOGIN_URL (default `/accounts/login/`), LOGOUT_URL, and the admin's log-in page. */
  loginUrl?: string;
  logoutUrl?: string;
  adminLoginUrl?: string;
  /** CSRF_* settings. */
  csrfUseSessions?: boolean;
  csrfCookieName?: string;
  csrfCookieAge?: number | null;
  csrfCookieDomain?: string | null;
  csrfCookiePath?: string;
  csrfCookieSecure?: boolean;
  csrfCookieHttpOnly?: boolean;
  csrfCookieSameSite?: string | false;
  csrfHeaderName?: string;
  csrfTrustedOrigins?: readonly string[];
  /** SESSION_COOKIE_DOMAIN (CSRF's Referer check reads it). */
  sessionCookieDomain?: string | null;
  /** USE_X_FORWARDED_HOST and SECURE_PROXY_SSL_HEADER: which forwarded headers say what the request was. */
  useXForwardedHost?: boolean;
  secureProxySslHeader?: readonly [header: string, value: string] | null;
  /** DEBUG (default false): a CSRF refusal shows its reason only under it, as Django's csrf_failure does. */
  debug?: boolean;
  /** Upper bound on a decoded session (default 1 MiB): the guard against zip bombs. */
  maxSessionBytes?: number;
  /** Every lookup of one request answers within this, or authenticate() rejects as unavailable (default 2000). */
  timeoutMs?: number;
  /** The pool's size (default 10). */
  poolMax?: number;
  /** Keep each cookie's verdict this long (default 0: off), for at most decisionCacheMax cookies. */
  decisionCacheTtlMs?: number;
  decisionCacheMax?: number;
  /** A PostgreSQL read replica for the lookups, and the replay lag above which the primary is asked. */
  replicaUrl?: string;
  replicaMaxLagMs?: number;
}

/** How a setting is named in messages: the option's own name, or (from the environment) its variable. */
export type SettingName = (option: keyof DjangoSettingsOptions) => string;

const ENGINES: Record<string, SessionEngine> = {
  'django.contrib.sessions.backends.db': 'db',
  'django.contrib.sessions.backends.cached_db': 'cached_db',
  'django.contrib.sessions.backends.cache': 'cache',
  'django.contrib.sessions.backends.signed_cookies': 'signed_cookies',
};

const UNSUPPORTED_ENGINES: Record<string, string> = {
  'django.contrib.sessions.backends.file': 'the file engine keeps sessions on Django\'s own disk; use "db" or "cached_db"',
};

const SERIALIZERS: Record<string, 'json' | 'pickle'> = {
  json: 'json',
  pickle: 'pickle',
  'django.contrib.sessions.serializers.JSONSerializer': 'json',
  'django.contrib.sessions.serializers.PickleSerializer': 'pickle',
};

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const DEFAULT_BACKENDS = ['django.contrib.auth.backends.ModelBackend'];

interface Version {
  version: string;
  major: number;
  minor: number;
}

/** Whether a URL names a database this library reads. */
function isDatabaseUrl(url: string): boolean {
  return /^(postgres(ql)?|mysql|mariadb):\/\//.test(url) || /^(file|sqlite):/.test(url);
}

function djangoVersion(raw: string | undefined, name: string): Version {
  const version = raw || '5.2';
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) fail(name, `must look like 3.2 or 5.2, got "${version}"`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < 3 || (major === 3 && minor < 1)) fail(name, `${version} is not supported: Django 3.1 or newer is required`);
  return { version, major, minor };
}

function engine(raw: string | undefined, name: string): SessionEngine {
  const value = raw || 'django.contrib.sessions.backends.db';
  const full = value.includes('.') ? value : `django.contrib.sessions.backends.${value}`;
  const found = ENGINES[full];
  if (found) return found;
  fail(name, UNSUPPORTED_ENGINES[full] ? `"${value}" is not supported: ${UNSUPPORTED_ENGINES[full]}` : `"${value}" is not a session engine this library can read (db, cached_db, cache, signed_cookies)`);
}

function serializer(raw: string | undefined, version: Version, name: string, versionName: string): 'json' | 'pickle' {
  const found = SERIALIZERS[raw || 'json'];
  if (found === undefined) fail(name, `must be "json" or "pickle", got "${raw}"`);
  if (found === 'pickle' && version.major >= 5) fail(name, `is "pickle", but Django 5.0 removed PickleSerializer and ${versionName} is ${version.version}`);
  return found;
}

function oneOf<T extends string>(raw: string | undefined, values: readonly T[], name: string): T {
  const value = raw || values[0];
  if (!values.includes(value as T)) fail(name, `must be one of ${values.join(', ')}, got "${value}"`);
  return value as T;
}

function wholeNumber(value: number | undefined, fallback: number, min: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(name, `must be a whole number between ${min} and ${max}, got ${value}`);
  return value;
}

function cookieName(value: string, name: string): string {
  if (!COOKIE_NAME.test(value)) fail(name, `"${value}" is not a valid cookie name`);
  return value;
}

function cacheConfig(options: DjangoSettingsOptions, sessionEngine: SessionEngine, name: SettingName): CacheConfig | undefined {
  const url = options.cacheUrl || undefined;
  if (url === undefined) {
    if (sessionEngine === 'cache') fail(name('cacheUrl'), 'is required with the cache engine: the redis:// or memcached:// server of SESSION_CACHE_ALIAS');
    return undefined;
  }
  if (sessionEngine !== 'cache' && sessionEngine !== 'cached_db') fail(name('cacheUrl'), `is only read by the cache and cached_db engines, not ${sessionEngine}`);
  const kind = /^rediss?:\/\//.test(url) ? 'redis' : url.startsWith('memcached://') ? 'memcached' : fail(name('cacheUrl'), 'must be a redis://, rediss:// or memcached:// URL');
  // Django hashes keys over several memcached servers with pymemcache's HashClient; another client would not find them.
  if (kind === 'memcached' && url.includes(',')) fail(name('cacheUrl'), 'names one memcached server only');
  const serializer = oneOf<CacheSerializer>(options.cacheSerializer, ['pickle', 'json'], name('cacheSerializer'));
  const compressor = oneOf<CacheCompressor>(options.cacheCompressor, ['none', 'zlib'], name('cacheCompressor'));
  if (kind === 'memcached' && (serializer !== 'pickle' || compressor !== 'none')) {
    fail(serializer !== 'pickle' ? name('cacheSerializer') : name('cacheCompressor'), 'applies to django-redis only: PyMemcacheCache always pickles');
  }
  return { kind, url, keyPrefix: options.cacheKeyPrefix ?? '', version: wholeNumber(options.cacheVersion, 1, 0, name('cacheVersion')), serializer, compressor };
}

function csrfConfig(options: DjangoSettingsOptions, before40: boolean, name: SettingName): CsrfConfig {
  const trustedOrigins = [...(options.csrfTrustedOrigins ?? [])];
  // Django 4.0 made CSRF_TRUSTED_ORIGINS origins (scheme included); before, they were host names.
  const bad = trustedOrigins.find((origin) => before40 === /^[a-z][a-z0-9+.-]*:\/\//i.test(origin));
  if (bad !== undefined) fail(name('csrfTrustedOrigins'), before40 ? `"${bad}" must be a host such as .example.com before Django 4.0` : `"${bad}" must start with a scheme such as https:// (Django 4.0+)`);
  // Django's set_cookie takes any case of lax, strict and none.
  const sameSite = String(options.csrfCookieSameSite ?? 'Lax').toLowerCase();
  const sameSites = { lax: 'Lax', strict: 'Strict', none: 'None', false: false } as const;
  if (!(sameSite in sameSites)) fail(name('csrfCookieSameSite'), `must be Lax, Strict, None or False, got "${options.csrfCookieSameSite}"`);
  const header = options.csrfHeaderName || 'HTTP_X_CSRFTOKEN';
  if (!/^HTTP_[A-Z0-9_]+$/.test(header)) fail(name('csrfHeaderName'), `must be a request.META name such as HTTP_X_CSRFTOKEN, got "${header}"`);
  return {
    before40,
    useSessions: options.csrfUseSessions ?? false,
    cookieDomain: options.csrfCookieDomain || null,
    sessionCookieDomain: options.sessionCookieDomain || null,
    trustedOrigins,
    headerName: header,
    cookieName: cookieName(options.csrfCookieName || 'csrftoken', name('csrfCookieName')),
    cookieAge: options.csrfCookieAge === null ? null : wholeNumber(options.csrfCookieAge, 31_449_600, 0, name('csrfCookieAge')),
    cookiePath: options.csrfCookiePath || '/',
    cookieSecure: options.csrfCookieSecure ?? false,
    cookieHttpOnly: options.csrfCookieHttpOnly ?? false,
    cookieSameSite: sameSites[sameSite as keyof typeof sameSites],
  };
}

/**
 * The options as the library uses them: Django's defaults filled in, every value checked. Throws a
 * ConfigError naming the setting (`name` says how: the option, or its environment variable).
 */
export function resolveSettings(options: DjangoSettingsOptions, name: SettingName = (option) => option): DjangoConfig {
  const databaseUrl = options.databaseUrl || undefined;
  if (databaseUrl !== undefined && !isDatabaseUrl(databaseUrl)) {
    fail(name('databaseUrl'), 'must be a postgresql://, mysql:// (or mariadb://) or file:/path/db.sqlite3 URL to Django\'s database');
  }
  const useTz = options.useTz ?? true;
  const timeZone = options.timeZone || 'UTC';
  if (!isTimeZone(timeZone)) fail(name('timeZone'), `"${timeZone}" is not a time zone name such as UTC or America/Chicago`);

  const databaseReplicaUrl = options.replicaUrl || undefined;
  if (databaseReplicaUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseReplicaUrl)) {
    fail(name('replicaUrl'), 'must be a postgresql:// URL to a read replica of Django\'s database');
  }
  if (options.replicaMaxLagMs !== undefined && databaseReplicaUrl === undefined) fail(name('replicaMaxLagMs'), `is set but ${name('replicaUrl')} is not`);

  const secretKey = options.secretKey ?? '';
  if (secretKey === '') fail(name('secretKey'), 'is required: set it to the SECRET_KEY of the Django site');
  const secretKeyFallbacks = [...(options.secretKeyFallbacks ?? [])];
  const version = djangoVersion(options.djangoVersion, name('djangoVersion'));
  const hasFallbacks = version.major > 4 || (version.major === 4 && version.minor >= 1);
  if (secretKeyFallbacks.length > 0 && !hasFallbacks) {
    fail(name('secretKeyFallbacks'), `is set, but Django ${version.version} has no SECRET_KEY_FALLBACKS (added in 4.1)`);
  }
  const backends = options.authenticationBackends?.length ? [...options.authenticationBackends] : DEFAULT_BACKENDS;
  const authUserModel = options.authUserModel || 'auth.User';
  if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(authUserModel)) fail(name('authUserModel'), `must be "app_label.ModelName", got "${authUserModel}"`);
  const [appLabel, modelName] = authUserModel.toLowerCase().split('.') as [string, string];
  const userTable = options.userTable || `${appLabel}_${modelName}`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(userTable)) fail(name('userTable'), `"${userTable}" is not a table name`);
  const secureProxy = options.secureProxySslHeader ?? null;
  if (secureProxy !== null && (secureProxy.length !== 2 || !/^HTTP_[A-Z0-9_]+$/.test(secureProxy[0]))) {
    fail(name('secureProxySslHeader'), 'must be "HTTP_X_FORWARDED_PROTO,https": a request.META header name and the value meaning HTTPS');
  }

  const sessionEngine = engine(options.sessionEngine, name('sessionEngine'));
  return {
    databaseUrl,
    databaseReplicaUrl,
    databaseReplicaMaxLagMs: options.replicaMaxLagMs === undefined ? undefined : wholeNumber(options.replicaMaxLagMs, 0, 1, name('replicaMaxLagMs')),
    django: {
      secretKey,
      secretKeyFallbacks,
      authenticationBackends: backends,
      acceptLegacy: version.major < 4,
      sessionCookieAge: wholeNumber(options.sessionCookieAge, 1_209_600, 1, name('sessionCookieAge')),
      maxSessionBytes: wholeNumber(options.maxSessionBytes, 1_048_576, 1024, name('maxSessionBytes')),
      serializer: serializer(options.sessionSerializer, version, name('sessionSerializer'), name('djangoVersion')),
    },
    djangoVersion: version.version,
    useTz,
    timeZone,
    sessionEngine,
    cache: cacheConfig(options, sessionEngine, name),
    sessionCookieName: cookieName(options.sessionCookieName || 'sessionid', name('sessionCookieName')),
    authUserModel,
    userTable,
    loginUrl: options.loginUrl || '/accounts/login/',
    logoutUrl: options.logoutUrl || '/accounts/logout/',
    adminLoginUrl: options.adminLoginUrl || '/admin/login/',
    dbTimeoutMs: wholeNumber(options.timeoutMs, 2000, 50, name('timeoutMs')),
    dbPoolMax: wholeNumber(options.poolMax, 10, 1, name('poolMax'), 1000),
    sessionCacheTtlMs: wholeNumber(options.decisionCacheTtlMs, 0, 0, name('decisionCacheTtlMs')),
    sessionCacheMax: wholeNumber(options.decisionCacheMax, 10_000, 1, name('decisionCacheMax')),
    csrf: csrfConfig(options, version.major < 4, name),
    debug: options.debug ?? false,
    proxy: {
      useXForwardedHost: options.useXForwardedHost ?? false,
      secureProxySslHeader: secureProxy === null ? null : { header: secureProxy[0], value: secureProxy[1] },
      firstProxyValue: hasFallbacks,
    },
  };
}
