import type { CacheCompressor, CacheSerializer, CsrfSettings, DjangoSettings, ProxySettings } from '../django/index.ts';

/** Django's SESSION_ENGINE, by the module's last name. */
export type SessionEngine = 'db' | 'cached_db' | 'cache' | 'signed_cookies';

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

/** Everything the library reads, validated, with Django's defaults filled in. */
export interface DjangoConfig {
  /** Django's database; undefined when the caller passes an open database or its own store. */
  databaseUrl: string | undefined;
  /** A read replica of the database for the session and user lookups. */
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
  /** AUTH_USER_MODEL, app_label.ModelName. */
  authUserModel: string;
  userTable: string;
  loginUrl: string;
  logoutUrl: string;
  adminLoginUrl: string;
  /** Every lookup of one request, all waits together, answers within this or fails as unavailable. */
  dbTimeoutMs: number;
  dbPoolMax: number;
  /** The decision cache: 0 is off. */
  sessionCacheTtlMs: number;
  sessionCacheMax: number;
  csrf: CsrfConfig;
  /** Django's DEBUG: whether a CSRF refusal shows its reason. */
  debug: boolean;
  proxy: ProxySettings;
}
