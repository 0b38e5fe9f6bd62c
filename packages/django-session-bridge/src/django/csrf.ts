import { randomInt } from 'node:crypto';
import { constantTimeEquals } from './crypto.ts';
import { isSameDomain, splitUrl } from './urls.ts';

/** django.middleware.csrf, 3.2 and 4.0–5.2, as pure functions; randomness is passed in. */

export const CSRF_SECRET_LENGTH = 32;
/** Length of a masked CSRF token (twice the secret's 32). */
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;
/** Django's CSRF_ALLOWED_CHARS: the alphabet of secrets and masked tokens. */
export const CSRF_ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** The session key of the CSRF secret under CSRF_USE_SESSIONS. */
export const CSRF_SESSION_KEY = '_csrftoken';
/** The form field Django's CsrfViewMiddleware reads the token from. */
export const CSRF_FORM_FIELD = 'csrfmiddlewaretoken';
const INVALID_CHARS = /[^a-zA-Z0-9]/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Django's REASON_BAD_ORIGIN (%s is the origin). */
export const REASON_BAD_ORIGIN = 'Origin checking failed - %s does not match any trusted origins.';
/** Django's REASON_NO_REFERER. */
export const REASON_NO_REFERER = 'Referer checking failed - no Referer.';
/** Django's REASON_BAD_REFERER (%s is the referer). */
export const REASON_BAD_REFERER = 'Referer checking failed - %s does not match any trusted origins.';
/** Django's REASON_NO_CSRF_COOKIE. */
export const REASON_NO_CSRF_COOKIE = 'CSRF cookie not set.';
/** Django's REASON_CSRF_TOKEN_MISSING (4.0 and later). */
export const REASON_CSRF_TOKEN_MISSING = 'CSRF token missing.';
/** The token-mismatch reason of Django before 4.0. */
export const REASON_BAD_TOKEN_BEFORE_40 = 'CSRF token missing or incorrect.';
/** Django's REASON_MALFORMED_REFERER. */
export const REASON_MALFORMED_REFERER = 'Referer checking failed - Referer is malformed.';
/** Django's REASON_INSECURE_REFERER. */
export const REASON_INSECURE_REFERER = 'Referer checking failed - Referer is insecure while host is secure.';

/** get_random_string(32, CSRF_ALLOWED_CHARS). */
export type RandomCsrfString = () => string;

/** A new CSRF secret from node:crypto's CSPRNG, as get_random_string(32, CSRF_ALLOWED_CHARS). */
export const randomCsrfString: RandomCsrfString = () => {
  let out = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i += 1) out += CSRF_ALLOWED_CHARS[randomInt(CSRF_ALLOWED_CHARS.length)];
  return out;
};

/** Django's CSRF_* settings, camelCased, as the check reads them. */
export interface CsrfSettings {
  /**
   * Django before 4.0 stores a masked 64-character token in the cookie, has no Origin check and words its
   * rejections differently; 4.0 stores the bare 32-character secret and still reads the masked kind.
   */
  before40: boolean;
  /** CSRF_USE_SESSIONS: the secret is the session's _csrftoken instead of a cookie. */
  useSessions: boolean;
  /** CSRF_COOKIE_DOMAIN, and SESSION_COOKIE_DOMAIN (what the Referer check uses with CSRF_USE_SESSIONS). */
  cookieDomain: string | null;
  sessionCookieDomain: string | null;
  /** CSRF_TRUSTED_ORIGINS: hosts before 4.0 ("example.com", ".example.com"), origins from 4.0 ("https://*.example.com"). */
  trustedOrigins: readonly string[];
  /** CSRF_HEADER_NAME in request.META form, e.g. HTTP_X_CSRFTOKEN. */
  headerName: string;
}

function index(char: string): number {
  return CSRF_ALLOWED_CHARS.indexOf(char);
}

/** _mask_cipher_secret with the given mask: mask + (secret + mask) per character, modulo 62. */
export function maskCipherSecret(secret: string, mask: string): string {
  let cipher = '';
  for (let i = 0; i < Math.min(secret.length, mask.length); i += 1) {
    cipher += CSRF_ALLOWED_CHARS[(index(secret[i]!) + index(mask[i]!)) % CSRF_ALLOWED_CHARS.length];
  }
  return mask + cipher;
}

/** _unmask_cipher_token: the caller has checked that token is 64 allowed characters. */
export function unmaskCipherToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  let secret = '';
  for (let i = 0; i < Math.min(cipher.length, mask.length); i += 1) {
    // Python's chars[x - y] wraps a negative index around.
    secret += CSRF_ALLOWED_CHARS[(index(cipher[i]!) - index(mask[i]!) + CSRF_ALLOWED_CHARS.length) % CSRF_ALLOWED_CHARS.length];
  }
  return secret;
}

/** 4.0+ _check_token_format: the reason phrase, or null when the format is fine. */
export function tokenFormatProblem(token: string): string | null {
  if (token.length !== CSRF_TOKEN_LENGTH && token.length !== CSRF_SECRET_LENGTH) return 'has incorrect length';
  if (INVALID_CHARS.test(token)) return 'has invalid characters';
  return null;
}

/** 3.2 _sanitize_token: a usable masked token, or a fresh random one in place of anything else. */
export function sanitizeToken(token: string, random: RandomCsrfString): string {
  if (INVALID_CHARS.test(token)) return maskCipherSecret(random(), random());
  if (token.length === CSRF_TOKEN_LENGTH) return token;
  if (token.length === CSRF_SECRET_LENGTH) return maskCipherSecret(token, random());
  return maskCipherSecret(random(), random());
}

/** What the request brought: process_request's view of the stored cookie or session value. */
export interface CsrfState {
  /** What process_view compares with: the secret, nothing stored, or (4.0+) why the cookie is unusable. */
  check: { secret: string } | { missing: true } | { invalid: string };
  /** request.META["CSRF_COOKIE"]: what goes back into the cookie when it is written; null when there is none yet. */
  cookie: string | null;
  /** Django writes the cookie on this response even if no token is minted (4.0+ replaces a malformed one). */
  needsUpdate: boolean;
}

function fromStored(stored: string, settings: CsrfSettings, random: RandomCsrfString): CsrfState {
  if (settings.before40) {
    const token = settings.useSessions ? stored : sanitizeToken(stored, random);
    if (token.length !== CSRF_TOKEN_LENGTH || INVALID_CHARS.test(token)) return { check: { invalid: REASON_BAD_TOKEN_BEFORE_40 }, cookie: null, needsUpdate: false };
    return { check: { secret: unmaskCipherToken(token) }, cookie: token, needsUpdate: false };
  }
  if (!settings.useSessions) {
    const problem = tokenFormatProblem(stored);
    if (problem !== null) return { check: { invalid: `CSRF cookie ${problem}.` }, cookie: random(), needsUpdate: true };
  }
  const secret = stored.length === CSRF_TOKEN_LENGTH && !INVALID_CHARS.test(stored) ? unmaskCipherToken(stored) : stored;
  return { check: { secret }, cookie: secret, needsUpdate: false };
}

/**
 * CsrfViewMiddleware.process_request: the secret from the CSRF cookie's value, or with CSRF_USE_SESSIONS
 * from the session's _csrftoken (anything but a string there counts as nothing: Django would crash on it).
 */
export function loadCsrfState(stored: unknown, settings: CsrfSettings, random: RandomCsrfString = randomCsrfString): CsrfState {
  if (typeof stored !== 'string') return { check: { missing: true }, cookie: null, needsUpdate: false };
  return fromStored(stored, settings, random);
}

/**
 * get_token(): a fresh masked token for a form, and the value the cookie must then hold (written on the
 * response to renew its expiry, as Django does whenever a token is used).
 */
export function getToken(state: CsrfState, settings: CsrfSettings, random: RandomCsrfString = randomCsrfString): { token: string; cookie: string } {
  let cookie = state.cookie;
  if (cookie === null) cookie = settings.before40 ? maskCipherSecret(random(), random()) : random();
  const secret = settings.before40 ? unmaskCipherToken(cookie) : cookie;
  state.cookie = cookie;
  state.needsUpdate = true;
  return { token: maskCipherSecret(secret, random()), cookie };
}

/** GET, HEAD, OPTIONS and TRACE: the methods CsrfViewMiddleware lets through unchecked. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/** The request as CsrfViewMiddleware sees it. */
export interface CsrfRequest {
  method: string;
  /** request.is_secure(). */
  secure: boolean;
  /** request.get_host() (host[:port]); null where Django raises DisallowedHost. */
  host: string | null;
  /** request.get_port(). */
  port: string;
  origin: string | undefined;
  referer: string | undefined;
  /** request.POST's csrfmiddlewaretoken: only a POST form body has one; '' when absent. */
  formToken: string;
  /** request.META[CSRF_HEADER_NAME]; undefined when the header is absent. */
  headerToken: string | undefined;
}

/** The CSRF check's answer: accepted, or rejected with Django's reason text. */
export type CsrfVerdict = { ok: true } | { ok: false; reason: string };

const reject = (reason: string): CsrfVerdict => ({ ok: false, reason });
const OK: CsrfVerdict = { ok: true };

/** 4.0+ _origin_verified. */
export function originVerified(request: CsrfRequest, settings: CsrfSettings): boolean {
  const origin = request.origin ?? '';
  if (request.host !== null && origin === `${request.secure ? 'https' : 'http'}://${request.host}`) return true;
  const wildcards = settings.trustedOrigins.filter((trusted) => trusted.includes('*'));
  if (settings.trustedOrigins.some((trusted) => !trusted.includes('*') && trusted === origin)) return true;
  const parsed = splitUrl(origin);
  if (parsed === null) return false;
  return wildcards.some((trusted) => {
    const allowed = splitUrl(trusted);
    return allowed !== null && allowed.scheme === parsed.scheme && isSameDomain(parsed.netloc, allowed.netloc.replace(/^\*+/, ''));
  });
}

function goodReferer(request: CsrfRequest, settings: CsrfSettings): string | null {
  const domain = settings.useSessions ? settings.sessionCookieDomain : settings.cookieDomain;
  if (domain === null) return request.host;
  return request.port === '443' || request.port === '80' ? domain : `${domain}:${request.port}`;
}

/** The Referer check of an HTTPS request: null when it passes, else the reason. */
export function refererProblem(request: CsrfRequest, settings: CsrfSettings): string | null {
  if (request.referer === undefined) return REASON_NO_REFERER;
  const referer = splitUrl(request.referer);
  if (referer === null || referer.scheme === '' || referer.netloc === '') return REASON_MALFORMED_REFERER;
  if (referer.scheme !== 'https') return REASON_INSECURE_REFERER;
  const bad = REASON_BAD_REFERER.replace('%s', referer.url);
  const trustedHosts = settings.before40
    ? settings.trustedOrigins
    : settings.trustedOrigins.map((origin) => (splitUrl(origin)?.netloc ?? '').replace(/^\*+/, ''));
  if (trustedHosts.some((host) => isSameDomain(referer.netloc, host))) return null;
  const good = goodReferer(request, settings);
  return good !== null && isSameDomain(referer.netloc, good) ? null : bad;
}

/** HttpHeaders.parse_header_name: HTTP_X_CSRFTOKEN -> X-Csrftoken (Python's str.title()). */
function headerLabel(metaName: string): string {
  return metaName
    .replace(/^HTTP_/, '')
    .replace(/_/g, '-')
    .toLowerCase()
    .replace(/(^|[^a-z])([a-z])/g, (_match, before: string, letter: string) => before + letter.toUpperCase());
}

function tokenVerdict(request: CsrfRequest, state: CsrfState, settings: CsrfSettings, random: RandomCsrfString): CsrfVerdict {
  if ('missing' in state.check) return reject(REASON_NO_CSRF_COOKIE);
  if ('invalid' in state.check) return reject(state.check.invalid);
  const secret = state.check.secret;
  let token = request.method === 'POST' ? request.formToken : '';
  if (settings.before40) {
    if (token === '') token = request.headerToken ?? '';
    const masked = sanitizeToken(token, random);
    return constantTimeEquals(unmaskCipherToken(masked), secret) ? OK : reject(REASON_BAD_TOKEN_BEFORE_40);
  }
  let source = 'POST';
  if (token === '') {
    if (request.headerToken === undefined) return reject(REASON_CSRF_TOKEN_MISSING);
    token = request.headerToken;
    source = `the '${headerLabel(settings.headerName)}' HTTP header`;
  }
  const problem = tokenFormatProblem(token);
  if (problem !== null) return reject(`CSRF token from ${source} ${problem}.`);
  const candidate = token.length === CSRF_TOKEN_LENGTH ? unmaskCipherToken(token) : token;
  return constantTimeEquals(candidate, secret) ? OK : reject(`CSRF token from ${source} incorrect.`);
}

/** CsrfViewMiddleware.process_view for a view that is not csrf_exempt. */
export function checkCsrf(request: CsrfRequest, state: CsrfState, settings: CsrfSettings, random: RandomCsrfString = randomCsrfString): CsrfVerdict {
  if (isSafeMethod(request.method)) return OK;
  if (!settings.before40 && request.origin !== undefined) {
    if (!originVerified(request, settings)) return reject(REASON_BAD_ORIGIN.replace('%s', request.origin));
  } else if (request.secure) {
    const problem = refererProblem(request, settings);
    if (problem !== null) return reject(problem);
  }
  return tokenVerdict(request, state, settings, random);
}
