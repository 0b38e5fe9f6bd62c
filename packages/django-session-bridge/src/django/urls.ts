import { isIPv6 } from 'node:net';

/** The parts of Python's urllib.parse.urlsplit that Django's CSRF checks read. */
export interface SplitUrl {
  scheme: string;
  netloc: string;
  /** SplitResult.geturl(): how Django quotes the URL back in a rejection reason. */
  url: string;
}

const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+\-.]*$/;

/**
 * What lies between the first '[' and the next ']' after it ('' when none follows). Found with
 * indexOf: a regex would retry from every '[' and scan to the end each time.
 */
function bracketedHost(netloc: string): string {
  const open = netloc.indexOf('[');
  const close = open === -1 ? -1 : netloc.indexOf(']', open + 1);
  return close === -1 ? '' : netloc.slice(open + 1, close);
}

/** urlsplit(url), or null where Python raises ValueError (unbalanced or invalid IPv6 brackets). */
export function splitUrl(input: string): SplitUrl | null {
  // Python strips leading C0 controls and spaces and removes tabs and newlines before parsing.
  let start = 0;
  while (start < input.length && input.charCodeAt(start) <= 0x20) start += 1;
  let rest = input.slice(start).replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && SCHEME_CHARS.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end === -1 ? rest.slice(2) : rest.slice(2, 2 + end);
    rest = end === -1 ? '' : rest.slice(2 + end);
    const open = netloc.includes('[');
    if (open !== netloc.includes(']')) return null;
    if (open) {
      const bracketed = bracketedHost(netloc);
      if (!bracketed.startsWith('v') && !isIPv6(bracketed.split('%')[0]!)) return null;
    }
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash !== -1) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
  let query = '';
  const question = rest.indexOf('?');
  if (question !== -1) [rest, query] = [rest.slice(0, question), rest.slice(question + 1)];
  let url = rest;
  if (netloc !== '') url = `//${netloc}${url && !url.startsWith('/') ? '/' : ''}${url}`;
  if (scheme !== '') url = `${scheme}:${url}`;
  if (query !== '') url += `?${query}`;
  if (fragment !== '') url += `#${fragment}`;
  return { scheme, netloc, url };
}

/** django.utils.http.is_same_domain: the pattern is lower-cased, the host is not. */
export function isSameDomain(host: string, pattern: string): boolean {
  if (pattern === '') return false;
  const lower = pattern.toLowerCase();
  return (lower.startsWith('.') && (host.endsWith(lower) || host === lower.slice(1))) || lower === host;
}
