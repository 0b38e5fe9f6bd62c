import type { DjangoConfig } from '../config/settings.ts';
import { fail } from '../config/config-error.ts';
import { providerOf } from '../databases/url.ts';
import { passwordHashers, type PasswordHasher, type PasswordHashers } from '../django/index.ts';

/** The options that only log-in, log-out and password changes read. */
export interface WriteOptions {
  /**
   * DATABASE_WRITE_URL: Django's database as a role allowed exactly SELECT, INSERT, UPDATE, DELETE on
   * django_session and UPDATE (last_login, password) on the user table (docs/write-role.sql). Without it,
   * nothing writes: login(), logout(), changePassword() and checkCredentials() reject.
   */
  databaseWriteUrl?: string;
  /** PASSWORD_HASHERS: class paths, or hashers (pbkdf2Hasher(…)…); Django's defaults for djangoVersion. */
  passwordHashers?: readonly (string | PasswordHasher)[];
  /** The user model's USERNAME_FIELD column (default `username`). */
  usernameField?: string;
  /** SESSION_COOKIE_PATH (default `/`). */
  sessionCookiePath?: string;
  /** SESSION_COOKIE_SECURE (default false). */
  sessionCookieSecure?: boolean;
  /** SESSION_COOKIE_HTTPONLY (default true). */
  sessionCookieHttpOnly?: boolean;
  /** SESSION_COOKIE_SAMESITE: `Lax` (default), `Strict`, `None`, or false for no attribute (Django's None). */
  sessionCookieSameSite?: string | false;
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE (default false). */
  sessionExpireAtBrowserClose?: boolean;
}

/** The session cookie's attributes, as SessionMiddleware sets them. */
export interface SessionCookieSettings {
  name: string;
  age: number;
  domain: string | null;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict' | 'None' | false;
  expireAtBrowserClose: boolean;
}

/** WriteOptions resolved: Django's defaults filled in. */
export interface WriteSettings {
  url: string | undefined;
  hashers: PasswordHashers;
  usernameField: string;
  cookie: SessionCookieSettings;
}

/** Thrown by every write when DATABASE_WRITE_URL is not set. */
export class WritesDisabledError extends Error {
  override name = 'WritesDisabledError';
  constructor(what: string) {
    super(`${what} writes to Django's database, and DATABASE_WRITE_URL (the databaseWriteUrl option) is not set: without it nothing here writes`);
  }
}

function sameSite(raw: string | false | undefined): SessionCookieSettings['sameSite'] {
  if (raw === undefined) return 'Lax';
  if (raw === false || raw === '') return false;
  const found = (['Lax', 'Strict', 'None'] as const).find((value) => value.toLowerCase() === raw.toLowerCase());
  if (found === undefined) fail('sessionCookieSameSite', `must be Lax, Strict, None or false, got "${raw}"`);
  return found;
}

/** The write side's settings from its options and the read side's resolved config. */
export function resolveWriteSettings(config: DjangoConfig, options: WriteOptions): WriteSettings {
  const url = options.databaseWriteUrl || undefined;
  if (url !== undefined && providerOf(url) === null) fail('databaseWriteUrl', 'must be a postgresql://, mysql://, mariadb:// or file: URL');
  const usernameField = options.usernameField || 'username';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(usernameField)) fail('usernameField', `"${usernameField}" is not a column name`);
  return {
    url,
    hashers: passwordHashers({ djangoVersion: config.djangoVersion, hashers: options.passwordHashers }),
    usernameField,
    cookie: {
      name: config.sessionCookieName,
      age: config.django.sessionCookieAge,
      domain: config.csrf.sessionCookieDomain,
      path: options.sessionCookiePath || '/',
      secure: options.sessionCookieSecure ?? false,
      httpOnly: options.sessionCookieHttpOnly ?? true,
      sameSite: sameSite(options.sessionCookieSameSite),
      expireAtBrowserClose: options.sessionExpireAtBrowserClose ?? false,
    },
  };
}

function flag(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  fail(name, `must be true or false, got "${raw}"`);
}

/** WriteOptions from DATABASE_WRITE_URL, USERNAME_FIELD, PASSWORD_HASHERS and SESSION_COOKIE_* variables. */
export function writeOptionsFromEnv(env: Record<string, string | undefined> = process.env): WriteOptions {
  const sameSiteRaw = env.SESSION_COOKIE_SAMESITE;
  const hashers = env.PASSWORD_HASHERS?.split(',').map((path) => path.trim()).filter(Boolean);
  return {
    databaseWriteUrl: env.DATABASE_WRITE_URL || undefined,
    passwordHashers: hashers?.length ? hashers : undefined,
    usernameField: env.USERNAME_FIELD || undefined,
    sessionCookiePath: env.SESSION_COOKIE_PATH || undefined,
    sessionCookieSecure: flag(env, 'SESSION_COOKIE_SECURE'),
    sessionCookieHttpOnly: flag(env, 'SESSION_COOKIE_HTTPONLY'),
    sessionCookieSameSite: sameSiteRaw === undefined || sameSiteRaw === '' ? undefined : /^false$/i.test(sameSiteRaw) ? false : sameSiteRaw,
    sessionExpireAtBrowserClose: flag(env, 'SESSION_EXPIRE_AT_BROWSER_CLOSE'),
  };
}
