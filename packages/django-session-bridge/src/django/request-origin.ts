import { pythonStrip } from './python-whitespace.ts';

/**
 * How Django's HttpRequest answers is_secure(), get_host() and get_port() behind a proxy: it believes
 * X-Forwarded-Host only with USE_X_FORWARDED_HOST and a scheme header only as SECURE_PROXY_SSL_HEADER.
 */
export interface ProxySettings {
  useXForwardedHost: boolean;
  /** SECURE_PROXY_SSL_HEADER as (META name, value), e.g. HTTP_X_FORWARDED_PROTO and https; null when unset. */
  secureProxySslHeader: { header: string; value: string } | null;
  /** Django 4.1+ reads only the first of comma-separated values of that header. */
  firstProxyValue: boolean;
}

/** The request's scheme and host as Django sees them behind its proxy settings. */
export interface RequestOrigin {
  secure: boolean;
  /** get_host(), or null where Django raises DisallowedHost for a malformed host. */
  host: string | null;
  port: string;
}

type Headers = Record<string, string | string[] | undefined>;

// django.http.request.host_validation_re, on the lower-cased host.
const HOST = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/;

/** request.META's HTTP_X_FORWARDED_PROTO is the x-forwarded-proto header. */
export function metaToHeader(meta: string): string | null {
  return meta.startsWith('HTTP_') ? meta.slice(5).toLowerCase().replace(/_/g, '-') : null;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** request.is_secure() and request.get_host(), honouring SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST. */
export function requestOrigin(headers: Headers, connectionSecure: boolean, settings: ProxySettings): RequestOrigin {
  let secure = connectionSecure;
  const proxy = settings.secureProxySslHeader;
  const name = proxy ? metaToHeader(proxy.header) : null;
  const sent = name === null ? undefined : single(headers[name]);
  if (proxy && sent !== undefined) {
    // Django 4.1+ takes the first value, str.strip()ped (Python's whitespace, not trim()'s).
    secure = (settings.firstProxyValue ? pythonStrip(sent.split(',', 1)[0]!) : sent) === proxy.value;
  }
  const rawHost = single(headers.host) ?? '';
  const forwarded = single(headers['x-forwarded-host']);
  const host = settings.useXForwardedHost && forwarded !== undefined ? forwarded : rawHost;
  // The WSGI server's SERVER_PORT: the Host header's port, else the scheme's default.
  const port = /:(\d+)$/.exec(rawHost)?.[1] ?? (secure ? '443' : '80');
  return { secure, host: HOST.test(host.toLowerCase()) ? host : null, port };
}
