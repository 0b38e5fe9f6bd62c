import { djangoAuthFromEnv } from 'django-session-bridge';

// One pool per server process, made on the first request (next build loads this module without the environment).
export function auth() {
  globalThis.djangoAuth ??= djangoAuthFromEnv();
  return globalThis.djangoAuth;
}
