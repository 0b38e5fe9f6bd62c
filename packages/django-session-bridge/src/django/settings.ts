/** The Django settings that decide who is logged in, as the service was configured to mirror them. */
export interface DjangoSettings {
  /** SECRET_KEY. */
  secretKey: string;
  /** SECRET_KEY_FALLBACKS (Django 4.1+). */
  secretKeyFallbacks: readonly string[];
  /** AUTHENTICATION_BACKENDS. */
  authenticationBackends: readonly string[];
  /**
   * Django 3.1 and 3.2 still read what earlier versions wrote: the pre-3.1 session format, SHA-1 signatures
   * and SHA-1 session auth hashes. Django 4.0 dropped all three.
   */
  acceptLegacy: boolean;
  /** SESSION_COOKIE_AGE, the max age of a signed_cookies session. */
  sessionCookieAge: number;
  /** Upper bound on a decoded session's size: the guard against zip bombs. */
  maxSessionBytes: number;
  /** SESSION_SERIALIZER: JSONSerializer unless set; PickleSerializer exists up to Django 4.2. */
  serializer?: 'json' | 'pickle';
}

/** The salt of the db/cache session backends' signed session_data. */
export const SESSION_SALT = 'django.contrib.sessions.SessionStore';
/** The salt of the signed_cookies session backend. */
export const SIGNED_COOKIES_SALT = 'django.contrib.sessions.backends.signed_cookies';

/** SECRET_KEY, then SECRET_KEY_FALLBACKS: the order Django tries them in. */
export function secretKeys(settings: DjangoSettings): string[] {
  return [settings.secretKey, ...settings.secretKeyFallbacks];
}
