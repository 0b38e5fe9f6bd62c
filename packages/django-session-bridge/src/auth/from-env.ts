import { djangoOptionsFromEnv, envName, type Env } from '../config/env.ts';
import { resolveSettings } from '../config/options.ts';
import { writeOptionsFromEnv } from '../writes/index.ts';
import { createDjangoAuth, type DjangoAuth, type DjangoAuthOptions } from './create-django-auth.ts';

/**
 * createDjangoAuth with Django's settings from environment variables (the service's names, see ENV_NAMES),
 * so one `.env` serves the service and your app. `overrides` adds what an environment can't hold (an open
 * pool or store, event hooks) or replaces a variable. Throws a ConfigError naming the variable.
 */
export function djangoAuthFromEnv(env: Env = process.env, overrides: Partial<DjangoAuthOptions> = {}): DjangoAuth {
  const fromEnv = djangoOptionsFromEnv(env);
  // Checked here first so that a bad value is named by its variable, not by its option.
  resolveSettings(fromEnv, envName);
  return createDjangoAuth({ ...fromEnv, ...writeOptionsFromEnv(env), ...overrides });
}
