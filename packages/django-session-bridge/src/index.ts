// django-session-bridge: Django's request.user in any Node app.
export { createDjangoAuth, createDjangoAuthFromConfig } from './auth/create-django-auth.ts';
export type { DjangoAuth, DjangoAuthEvents, DjangoAuthOptions, DjangoAuthSources, DjangoVerdict } from './auth/create-django-auth.ts';
export { djangoAuthFromEnv } from './auth/from-env.ts';
export { DjangoAuthUnavailableError } from './auth/unavailable.ts';
export { cookieHeaderOf, sessionCookieOf } from './auth/request-cookie.ts';
export type { AuthInput } from './auth/request-cookie.ts';
export { DjangoRequestUser, publicUser } from './auth/user.ts';
export type { BridgeUser, PermissionOptions, PublicUser, UserPermissions } from './auth/user.ts';
export { ConfigError } from './config/config-error.ts';
export { djangoConfigFromEnv, djangoOptionsFromEnv, ENV_NAMES, envName, list } from './config/env.ts';
export type { Env } from './config/env.ts';
export { resolveSettings } from './config/options.ts';
export type { DjangoSettingsOptions, SettingName } from './config/options.ts';
export type { CacheConfig, CsrfConfig, DjangoConfig, SessionEngine } from './config/settings.ts';
export { DeadlineExceededError, withinDeadline } from './deadline.ts';
export * from './stores/index.ts';
export { REASONS } from './django/index.ts';
export type { Reason, SessionDict } from './django/index.ts';
