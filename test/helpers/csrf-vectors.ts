import type { CsrfSettings } from 'django-session-bridge/django';
import type { ProxySettings } from 'django-session-bridge/django';
import { atLeast } from './at-least.ts';
import { loadVectors } from './vectors.ts';

/** The "csrf" section that scripts/django/vectors/csrf.py writes with real Django. */
export interface CsrfCaseSettings {
  trusted_origins?: string[];
  cookie_domain?: string | null;
  header_name?: string;
  use_x_forwarded_host?: boolean;
  secure_proxy_ssl_header?: [string, string];
  cookie_age?: number | null;
  cookie_path?: string;
  cookie_secure?: boolean;
  cookie_httponly?: boolean;
  cookie_samesite?: string | false;
  cookie_name?: string;
  use_sessions?: boolean;
}

export interface CsrfVerdictCase {
  name: string;
  description: string;
  method?: string;
  headers?: Record<string, string>;
  connection_secure?: boolean;
  cookie: string | null;
  form?: Record<string, string> | string;
  content_type?: string;
  session_csrftoken?: string | null;
  settings?: CsrfCaseSettings;
  expected: { ok: boolean; reason: string | null; error: string | null };
}

export interface CsrfMintCase {
  name: string;
  description: string;
  cookie: string | null;
  settings: CsrfCaseSettings;
  calls: number;
  random: string[];
  tokens: string[];
  set_cookie: {
    value: string;
    max_age: number | null;
    has_expires: boolean;
    domain: string | null;
    path: string;
    secure: boolean;
    httponly: boolean;
    samesite: string | null;
    vary: string;
  } | null;
}

export interface CsrfVectors {
  django_version: string;
  before_40: boolean;
  masks: { secret: string; mask: string; token: string }[];
  unmasks: { token: string; secret: string }[];
  mints: CsrfMintCase[];
  verdicts: CsrfVerdictCase[];
}

/** A version's CSRF vectors, every section holding at least the cases the generator writes today. */
export function loadCsrfVectors(file: string): CsrfVectors {
  const vectors = loadVectors(file) as unknown as { django_version: string; csrf: Omit<CsrfVectors, 'django_version'> };
  const csrf = vectors.csrf;
  atLeast(6, csrf.masks, `csrf masks in ${file}`);
  atLeast(6, csrf.unmasks, `csrf unmasks in ${file}`);
  atLeast(9, csrf.mints, `csrf mints in ${file}`);
  atLeast(70, csrf.verdicts, `csrf verdicts in ${file}`);
  return { django_version: vectors.django_version, ...csrf };
}

export function csrfSettingsFor(vectors: CsrfVectors, settings: CsrfCaseSettings = {}): CsrfSettings {
  return {
    before40: vectors.before_40,
    useSessions: settings.use_sessions ?? false,
    cookieDomain: settings.cookie_domain ?? null,
    sessionCookieDomain: null,
    trustedOrigins: settings.trusted_origins ?? [],
    headerName: settings.header_name ?? 'HTTP_X_CSRFTOKEN',
  };
}

export function proxySettingsFor(vectors: CsrfVectors, settings: CsrfCaseSettings = {}): ProxySettings {
  const header = settings.secure_proxy_ssl_header;
  return {
    useXForwardedHost: settings.use_x_forwarded_host ?? false,
    secureProxySslHeader: header ? { header: header[0], value: header[1] } : null,
    firstProxyValue: !vectors.django_version.startsWith('3.') && !vectors.django_version.startsWith('4.0'),
  };
}

/** Hands out the values Django's get_random_string was made to return, in the same order. */
export function replayRandom(values: readonly string[]): () => string {
  let next = 0;
  return () => {
    const value = values[next];
    if (value === undefined) throw new Error('more random draws than Django made');
    next += 1;
    return value;
  };
}
