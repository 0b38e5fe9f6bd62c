import { pythonStrip } from './python-whitespace.ts';
import { splitUrl } from './urls.ts';

/** django.utils.http.MAX_URL_LENGTH: longer URLs are refused before they are parsed. */
export const MAX_URL_LENGTH = 2048;

// unicodedata.category(c)[0] == "C": control, format, surrogate, private use, unassigned.
const OTHER = /^\p{C}/u;

function hasAllowedHostAndScheme(url: string, allowedHosts: ReadonlySet<string>, requireHttps: boolean): boolean {
  // Chrome treats a URL with three slashes as absolute; urlsplit does not.
  if (url.startsWith('///') || url.length > MAX_URL_LENGTH) return false;
  const info = splitUrl(url);
  if (info === null) return false;
  // http:///example.com: a scheme and no host, which Chrome reads as host example.com.
  if (!info.netloc && info.scheme) return false;
  // Browsers skip some control characters at the start and may then see a scheme-relative URL.
  if (OTHER.test(url)) return false;
  const scheme = !info.scheme && info.netloc ? 'http' : info.scheme;
  const validSchemes = requireHttps ? ['https'] : ['http', 'https'];
  return (!info.netloc || allowedHosts.has(info.netloc)) && (!scheme || validSchemes.includes(scheme));
}

/**
 * django.utils.http.url_has_allowed_host_and_scheme: whether redirecting to `url` stays on an allowed host
 * with a safe scheme (https only when `requireHttps`). Empty is never safe; `\` is checked both as itself and
 * as `/`, as Chrome reads it.
 */
export function urlHasAllowedHostAndScheme(url: string | null | undefined, allowedHosts: ReadonlySet<string> | string | null, requireHttps = false): boolean {
  const stripped = url === null || url === undefined ? url : pythonStrip(url);
  if (!stripped) return false;
  const hosts = allowedHosts === null ? new Set<string>() : typeof allowedHosts === 'string' ? new Set([allowedHosts]) : allowedHosts;
  return hasAllowedHostAndScheme(stripped, hosts, requireHttps) && hasAllowedHostAndScheme(stripped.replaceAll('\\', '/'), hosts, requireHttps);
}
