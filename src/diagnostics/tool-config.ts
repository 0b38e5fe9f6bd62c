import { list } from 'django-session-bridge';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { secretKeys } from 'django-session-bridge/django';

/** A mistake in how a tool was called or configured: the tools exit 2 with this one-line message. */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** A mistake in how a tool was called or configured, as opposed to a failure while it ran. */
export function isUsageError(error: unknown): error is Error {
  if (error instanceof ToolError || error instanceof ConfigError) return true;
  // node:util parseArgs: an unknown option, a missing value.
  return error instanceof Error && ((error as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS');
}

export interface ToolConfig {
  config: Config;
  databaseUrl: string;
  /** DJANGO_OLD_SECRET_KEYS: keys no longer configured, checked only to say whether sessions still need them. */
  oldKeys: string[];
}

type Env = Record<string, string | undefined>;

function hasFallbacks(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 4 || (major === 4 && minor >= 1);
}

/**
 * The service's configuration (the same variables, the same validation) plus what only the tools read. Old
 * keys come from the environment only: on the command line they would show in `ps` and shell history.
 */
export function loadToolConfig(env: Env): ToolConfig {
  const config = loadConfig(env);
  if (config.databaseUrl === undefined) throw new ToolError('DATABASE_URL is not set: point it at Django\'s database');
  // Written like DJANGO_SECRET_KEY_FALLBACKS: comma-separated, or a JSON array for keys with commas.
  const oldKeys = list('DJANGO_OLD_SECRET_KEYS', env.DJANGO_OLD_SECRET_KEYS);
  if (oldKeys.length > 0 && !hasFallbacks(config.djangoVersion)) {
    throw new ToolError(`DJANGO_OLD_SECRET_KEYS is set, but Django ${config.djangoVersion} has no SECRET_KEY_FALLBACKS to add them back to (4.1+)`);
  }
  const configured = new Set(secretKeys(config.django));
  const duplicate = oldKeys.findIndex((key) => configured.has(key));
  if (duplicate >= 0) {
    throw new ToolError(`DJANGO_OLD_SECRET_KEYS key ${duplicate + 1} is already DJANGO_SECRET_KEY or in DJANGO_SECRET_KEY_FALLBACKS`);
  }
  return { config, databaseUrl: config.databaseUrl, oldKeys };
}

/** Where a tool writes; process.stdout/stderr, or buffers in tests. */
export interface ToolOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
