// django-session-bridge: Django's request.user in any Node app.
export { createDjangoAuth, createDjangoAuthFromConfig } from "./auth/create-django-auth.js";
export { djangoAuthFromEnv } from "./auth/from-env.js";
export { DjangoAuthUnavailableError } from "./auth/unavailable.js";
export { cookieHeaderOf, sessionCookieOf } from "./auth/request-cookie.js";
export { permissionsFor, publicUser, withPermissions } from "./auth/user.js";
export { ConfigError } from "./config/config-error.js";
export { djangoConfigFromEnv, djangoOptionsFromEnv, ENV_NAMES, envName, list } from "./config/env.js";
export { resolveSettings } from "./config/options.js";
export { DeadlineExceededError, withinDeadline } from "./deadline.js";
export * from "./stores/index.js";
export { REASONS } from "./django/index.js";
//# sourceMappingURL=index.js.map