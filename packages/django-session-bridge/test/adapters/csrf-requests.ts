import { requestOrigin } from '../../src/django/request-origin.ts';
import type { DjangoAuthOptions } from '../../src/index.ts';
import type { CsrfCaseSettings, CsrfVectors, CsrfVerdictCase } from '../../../../test/helpers/csrf-vectors.ts';
import { encodeSession, insertSession } from '../../../../test/helpers/django.ts';
import { send, type Answer } from './client.ts';
import { SECRET, type World } from './world.ts';

/** The DjangoAuth options of a CSRF vector's settings. */
export function csrfAuthOptions(vectors: CsrfVectors, s: CsrfCaseSettings = {}): Partial<DjangoAuthOptions> {
  return {
    djangoVersion: vectors.django_version,
    debug: true,
    csrfTrustedOrigins: s.trusted_origins,
    csrfCookieDomain: s.cookie_domain ?? null,
    csrfHeaderName: s.header_name,
    useXForwardedHost: s.use_x_forwarded_host,
    secureProxySslHeader: s.secure_proxy_ssl_header ?? null,
    csrfCookieAge: s.cookie_age,
    csrfCookiePath: s.cookie_path,
    csrfCookieSecure: s.cookie_secure,
    csrfCookieHttpOnly: s.cookie_httponly,
    csrfCookieSameSite: s.cookie_samesite,
    csrfCookieName: s.cookie_name,
    csrfUseSessions: s.use_sessions,
  };
}

// The escapes an error page may put on a reason (HTML), so that the reason is found as Django words it.
export function unescapeHtml(text: string): string {
  return text.replace(/&#39;|&#x27;|&quot;|&lt;|&gt;|&amp;/g, (entity) => ({ '&#39;': "'", '&#x27;': "'", '&quot;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' })[entity]!);
}

/** A CSRF vector's request, to the app of its settings (with a Django session when it names a _csrftoken). */
export async function csrfRequest(world: World, vectors: CsrfVectors, c: CsrfVerdictCase): Promise<Answer> {
  const app = await world.app(csrfAuthOptions(vectors, c.settings));
  const cookies: string[] = [];
  if (c.cookie !== null) cookies.push(`${c.settings?.cookie_name ?? 'csrftoken'}=${c.cookie}`);
  if (c.session_csrftoken !== undefined) {
    const session = c.session_csrftoken === null ? {} : { _csrftoken: c.session_csrftoken };
    cookies.push(`sessionid=${await insertSession(world.django, encodeSession(session, SECRET))}`);
  }
  const headers: Record<string, string> = { host: 'testserver', ...c.headers };
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  let body: string | undefined;
  if (c.form !== undefined) {
    headers['content-type'] = c.content_type ?? 'application/x-www-form-urlencoded';
    body = typeof c.form === 'string' ? c.form : new URLSearchParams(c.form).toString();
  }
  return send(app.url, '/csrf', { method: c.method ?? 'POST', headers, body });
}

/** Whether the case's Host header is one Django's get_host() refuses. */
export function hostIsMalformed(c: CsrfVerdictCase): boolean {
  const host = c.headers?.host;
  return host !== undefined && requestOrigin({ host }, false, { useXForwardedHost: false, secureProxySslHeader: null, firstProxyValue: true }).host === null;
}
