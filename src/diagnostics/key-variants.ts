import type { DjangoSettings } from 'django-session-bridge/django';

/** Which configured key verified something, as the tools print it. */
export type KeyUse = 'current' | `fallback ${number}` | 'none';

/** Index into [SECRET_KEY, ...SECRET_KEY_FALLBACKS] (or -1) → KeyUse; fallbacks count from 1, as people list them. */
export function keyUse(index: number): KeyUse {
  if (index < 0) return 'none';
  return index === 0 ? 'current' : `fallback ${index}`;
}

/** The same settings as if `position` (1-based) had been removed from SECRET_KEY_FALLBACKS. */
export function withoutFallback(settings: DjangoSettings, position: number): DjangoSettings {
  return { ...settings, secretKeyFallbacks: settings.secretKeyFallbacks.filter((_, index) => index !== position - 1) };
}

/** The same settings as if `key` were appended to SECRET_KEY_FALLBACKS. */
export function withFallback(settings: DjangoSettings, key: string): DjangoSettings {
  return { ...settings, secretKeyFallbacks: [...settings.secretKeyFallbacks, key] };
}

/** The same settings with `key` as the only key: which key verifies is then a yes/no question. */
export function onlyKey(settings: DjangoSettings, key: string): DjangoSettings {
  return { ...settings, secretKey: key, secretKeyFallbacks: [] };
}
