export const SESSION_SALT = 'django.contrib.sessions.SessionStore';
export const SIGNED_COOKIES_SALT = 'django.contrib.sessions.backends.signed_cookies';
export function secretKeys(settings) {
    return [settings.secretKey, ...settings.secretKeyFallbacks];
}
//# sourceMappingURL=settings.js.map