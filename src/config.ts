import { existsSync } from 'node:fs';

import { ConfigError, djangoConfigFromEnv, writeOptionsFromEnv, type DjangoConfig, type Env, type WriteOptions } from 'django-session-bridge';
import { withoutTrailingSlashes } from './trailing-slashes.ts';

export { ConfigError };
export type { CacheConfig, CsrfConfig, SessionEngine } from 'django-session-bridge';

export type SessionStoreKind = 'sql' | 'prisma';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The library's settings (djangoConfigFromEnv: the same variables), and the service's own. */
export interface Config extends DjangoConfig {
  basePath: string;
  port: number;
  host: string;
  logLevel: LogLevel;
  production: boolean;
  sessionStore: SessionStoreKind;
  webConcurrency: number;
  /** DATABASE_WRITE_URL and the settings only the log-in pages read; without the URL they are not mounted. */
  writes: WriteOptions;
  /** LOGIN_REDIRECT_URL (Django's default /accounts/profile/) and LOGOUT_REDIRECT_URL (none by default). */
  loginRedirectUrl: string;
  logoutRedirectUrl: string | null;
  /** Failed log-ins allowed per username and per client address within the window; 0 (default): no limit. */
  loginThrottle: { maxFailures: number; windowSeconds: number };
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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

function basePath(raw: string | undefined): string {
  const path = withoutTrailingSlashes(raw ?? '/elixir');
  if (path !== '' && !/^\/[A-Za-z0-9._~\-/]*$/.test(path)) fail('BASE_PATH', `must be a path such as /elixir, got "${raw}"`);
  return path;
}

/** Reads and validates the environment once, at start-up. Throws ConfigError with a one-line message. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  if (!env.DATABASE_URL && production) fail('DATABASE_URL', 'is required in production (point it at Django\'s database)');
  if (env.DATABASE_REPLICA_URL && !env.DATABASE_URL) fail('DATABASE_REPLICA_URL', 'is set but DATABASE_URL is not: a replica needs its primary');
  const django = djangoConfigFromEnv(env);
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) fail('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  const store = env.SESSION_STORE || 'sql';
  if (store !== 'sql' && store !== 'prisma') fail('SESSION_STORE', `must be "sql" or "prisma", got "${store}"`);
  return {
    ...django,
    basePath: basePath(env.BASE_PATH),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    logLevel,
    production,
    sessionStore: store,
    webConcurrency: integer(env, 'WEB_CONCURRENCY', 1, 1, 64),
    writes: writeOptionsFromEnv(env),
    loginRedirectUrl: env.LOGIN_REDIRECT_URL || '/accounts/profile/',
    logoutRedirectUrl: env.LOGOUT_REDIRECT_URL || null,
    loginThrottle: {
      maxFailures: integer(env, 'LOGIN_THROTTLE_MAX_FAILURES', 0, 0, 1_000_000),
      windowSeconds: integer(env, 'LOGIN_THROTTLE_WINDOW_SECONDS', 900, 1, 86_400),
    },
  };
}

/** Development reads `.env` into the environment (never overriding it); production reads only the environment. */
export function loadDotEnv(path = '.env'): void {
  if (process.env.NODE_ENV !== 'production' && existsSync(path)) process.loadEnvFile(path);
}
