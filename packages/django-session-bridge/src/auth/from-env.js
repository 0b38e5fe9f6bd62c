import { djangoOptionsFromEnv, envName } from "../config/env.js";
import { resolveSettings } from "../config/options.js";
import { createDjangoAuth } from "./create-django-auth.js";
/**
 * createDjangoAuth with Django's settings from environment variables (the service's names, see ENV_NAMES),
 * so one `.env` serves the service and your app. `overrides` adds what an environment can't hold (an open
 * pool or store, event hooks) or replaces a variable. Throws a ConfigError naming the variable.
 */
export function djangoAuthFromEnv(env = process.env, overrides = {}) {
    const fromEnv = djangoOptionsFromEnv(env);
    // Checked here first so that a bad value is named by its variable, not by its option.
    resolveSettings(fromEnv, envName);
    return createDjangoAuth({ ...fromEnv, ...overrides });
}
//# sourceMappingURL=from-env.js.map