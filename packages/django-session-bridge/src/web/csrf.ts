import type { DjangoConfig } from '../config/settings.ts';
import { parseCookieHeader } from '../django/cookies.ts';
import {
  checkCsrf, CSRF_SESSION_KEY, getToken, isSafeMethod, loadCsrfState, originVerified, randomCsrfString, refererProblem,
  REASON_BAD_ORIGIN, REASON_NO_CSRF_COOKIE, type CsrfRequest, type RandomCsrfString,
} from '../django/csrf.ts';
import type { SessionDict } from '../django/index.ts';
import { metaToHeader, requestOrigin, type RequestOrigin } from '../django/request-origin.ts';
import { CsrfFailureError } from './errors.ts';
import { isUrlEncodedForm } from './form-token.ts';
import { csrfSetCookie } from './set-cookie.ts';

/** csrfProtection's options, in every framework. */
export interface CsrfOptions {
  /** Show the refusal's reason to the visitor (Django's DEBUG); default: the DjangoAuth's `debug` setting. */
  showReason?: boolean;
  /** The largest URL-encoded form read for its token (default Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB). */
  formLimit?: number;
  /** get_random_string(32): tests replay Django's own draws with it. */
  random?: RandomCsrfString;
  /** The clock for the cookie's Expires, in milliseconds since the epoch. */
  now?: () => number;
}

/** What the CSRF check reads of a request, whatever the framework. */
export interface CsrfRequestFacts {
  method: string;
  /** A request header by lower-case name; repeated headers joined with ", ". */
  header(name: string): string | undefined;
  /** Whether the connection to this process is TLS (a proxy's scheme header is read from the settings). */
  connectionSecure: boolean;
  /** The verdict's decoded session: with CSRF_USE_SESSIONS the secret is its _csrftoken. */
  session: SessionDict | null;
}

/** Django's CsrfViewMiddleware on one request. */
export interface CsrfCheck {
  /** is_secure(), get_host() and get_port() as Django reads them under the proxy settings. */
  readonly origin: RequestOrigin;
  /** Whether token() can mint: false with CSRF_USE_SESSIONS when the session has no secret (nothing writes one here). */
  readonly offersToken: boolean;
  /** get_token(): a fresh masked token for a form; null when offersToken is false. */
  token(): string | null;
  /**
   * process_view: null when the request may go on, else the refusal. `readFormToken` is asked for the
   * form's csrfmiddlewaretoken only for a URL-encoded POST that passed every check needing no body, so a
   * body is never read (and never refused as malformed or too large) before Django would have refused.
   */
  verify(readFormToken: () => Promise<string>): Promise<CsrfFailureError | null>;
  /** The Set-Cookie header value owed to the response, once; null when nothing is owed (or already taken). */
  takeCookie(): string | null;
}

function storedSecret(config: DjangoConfig, facts: CsrfRequestFacts): unknown {
  if (config.csrf.useSessions) return facts.session?.[CSRF_SESSION_KEY];
  const header = facts.header('cookie');
  return header ? parseCookieHeader(header).get(config.csrf.cookieName) : undefined;
}

function proxyHeaders(config: DjangoConfig, facts: CsrfRequestFacts): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = { host: facts.header('host'), 'x-forwarded-host': facts.header('x-forwarded-host') };
  const proxy = config.proxy.secureProxySslHeader;
  const name = proxy ? metaToHeader(proxy.header) : null;
  if (name !== null) headers[name] = facts.header(name);
  return headers;
}

/**
 * Django's CSRF middleware for one request, from its facts: the same tokens, cookie and verdicts as
 * django.middleware.csrf of the configured Django version (the framework adapters apply it).
 */
export function csrfCheck(config: DjangoConfig, facts: CsrfRequestFacts, options: CsrfOptions = {}): CsrfCheck {
  const { csrf } = config;
  const random = options.random ?? randomCsrfString;
  const now = options.now ?? Date.now;
  const showReason = options.showReason ?? config.debug;
  const origin = requestOrigin(proxyHeaders(config, facts), facts.connectionSecure, config.proxy);
  const state = loadCsrfState(storedSecret(config, facts), csrf, random);
  let cookieTaken: string | null = null;
  const refuse = (reason: string) => new CsrfFailureError(reason, showReason);

  const offersToken = !(csrf.useSessions && state.cookie === null);

  return {
    origin,
    offersToken,
    token() {
      return offersToken ? getToken(state, csrf, random).token : null;
    },
    async verify(readFormToken) {
      if (isSafeMethod(facts.method)) return null;
      const request: CsrfRequest = {
        method: facts.method,
        ...origin,
        origin: facts.header('origin'),
        referer: facts.header('referer'),
        formToken: '',
        headerToken: facts.header(metaToHeader(csrf.headerName)!),
      };
      // What Django decides before it reads request.POST.
      if (!csrf.before40 && request.origin !== undefined) {
        if (!originVerified(request, csrf)) return refuse(REASON_BAD_ORIGIN.replace('%s', request.origin));
      } else if (request.secure) {
        const problem = refererProblem(request, csrf);
        if (problem !== null) return refuse(problem);
      }
      if ('missing' in state.check) return refuse(REASON_NO_CSRF_COOKIE);
      if ('invalid' in state.check) return refuse(state.check.invalid);
      if (request.method === 'POST' && isUrlEncodedForm(facts.header('content-type'))) request.formToken = await readFormToken();
      const verdict = checkCsrf(request, state, csrf, random);
      return verdict.ok ? null : refuse(verdict.reason);
    },
    takeCookie() {
      if (!state.needsUpdate || csrf.useSessions || state.cookie === null || state.cookie === cookieTaken) return null;
      cookieTaken = state.cookie;
      return csrfSetCookie(csrf, state.cookie, now());
    },
  };
}
