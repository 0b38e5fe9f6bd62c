import { splitUrl } from '../django/urls.ts';

/** Django's LOGIN_URL default, where login_required and permission_required send a visitor. */
export const DEFAULT_LOGIN_URL = '/accounts/login/';

/** Django's REDIRECT_FIELD_NAME. */
export const REDIRECT_FIELD_NAME = 'next';

// Python's quote_plus(safe='/'): what QueryDict.urlencode(safe='/') writes for redirect_to_login's next.
function quotePlus(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+');
}

/**
 * django.contrib.auth.views.redirect_to_login: `loginUrl` with `next` (replacing any `next` already in its
 * query) quoted as Django quotes it.
 *
 * @example loginRedirectUrl('/accounts/login/', '/account/?a=1') // '/accounts/login/?next=/account/%3Fa%3D1'
 */
export function loginRedirectUrl(loginUrl: string, next: string, redirectFieldName = REDIRECT_FIELD_NAME): string {
  const [base, query = ''] = loginUrl.split('?', 2) as [string, string?];
  const kept = query.split('&').filter((pair) => pair !== '' && pair.split('=', 1)[0] !== redirectFieldName);
  return `${base}?${[...kept, `${redirectFieldName}=${quotePlus(next)}`].join('&')}`;
}

/** Where the visitor was, as Django's request facts give it. */
export interface PageAddress {
  /** request.get_full_path(): the path and query string. */
  fullPath: string;
  /** request.is_secure() and request.get_host(); host null where Django would refuse the Host header. */
  secure: boolean;
  host: string | null;
}

/**
 * user_passes_test's `next`: the full path when the log-in page is on this site (a relative LOGIN_URL, or
 * the same scheme and host), else the page's absolute URL so the other site can send the visitor back.
 */
export function nextForLogin(loginUrl: string, page: PageAddress): string {
  const login = splitUrl(loginUrl);
  const scheme = page.secure ? 'https' : 'http';
  const sameScheme = login === null || login.scheme === '' || login.scheme === scheme;
  const sameHost = login === null || login.netloc === '' || login.netloc === page.host;
  if ((sameScheme && sameHost) || page.host === null) return page.fullPath;
  return `${scheme}://${page.host}${page.fullPath}`;
}
