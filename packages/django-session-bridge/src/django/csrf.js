import { randomInt } from 'node:crypto';
import { constantTimeEquals } from "./crypto.js";
import { isSameDomain, splitUrl } from "./urls.js";
/** django.middleware.csrf, 3.2 and 4.0–5.2, as pure functions; randomness is passed in. */
export const CSRF_SECRET_LENGTH = 32;
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;
export const CSRF_ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const CSRF_SESSION_KEY = '_csrftoken';
export const CSRF_FORM_FIELD = 'csrfmiddlewaretoken';
const INVALID_CHARS = /[^a-zA-Z0-9]/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
export const REASON_BAD_ORIGIN = 'Origin checking failed - %s does not match any trusted origins.';
export const REASON_NO_REFERER = 'Referer checking failed - no Referer.';
export const REASON_BAD_REFERER = 'Referer checking failed - %s does not match any trusted origins.';
export const REASON_NO_CSRF_COOKIE = 'CSRF cookie not set.';
export const REASON_CSRF_TOKEN_MISSING = 'CSRF token missing.';
export const REASON_BAD_TOKEN_BEFORE_40 = 'CSRF token missing or incorrect.';
export const REASON_MALFORMED_REFERER = 'Referer checking failed - Referer is malformed.';
export const REASON_INSECURE_REFERER = 'Referer checking failed - Referer is insecure while host is secure.';
export const randomCsrfString = () => {
    let out = '';
    for (let i = 0; i < CSRF_SECRET_LENGTH; i += 1)
        out += CSRF_ALLOWED_CHARS[randomInt(CSRF_ALLOWED_CHARS.length)];
    return out;
};
function index(char) {
    return CSRF_ALLOWED_CHARS.indexOf(char);
}
/** _mask_cipher_secret with the given mask: mask + (secret + mask) per character, modulo 62. */
export function maskCipherSecret(secret, mask) {
    let cipher = '';
    for (let i = 0; i < Math.min(secret.length, mask.length); i += 1) {
        cipher += CSRF_ALLOWED_CHARS[(index(secret[i]) + index(mask[i])) % CSRF_ALLOWED_CHARS.length];
    }
    return mask + cipher;
}
/** _unmask_cipher_token: the caller has checked that token is 64 allowed characters. */
export function unmaskCipherToken(token) {
    const mask = token.slice(0, CSRF_SECRET_LENGTH);
    const cipher = token.slice(CSRF_SECRET_LENGTH);
    let secret = '';
    for (let i = 0; i < Math.min(cipher.length, mask.length); i += 1) {
        // Python's chars[x - y] wraps a negative index around.
        secret += CSRF_ALLOWED_CHARS[(index(cipher[i]) - index(mask[i]) + CSRF_ALLOWED_CHARS.length) % CSRF_ALLOWED_CHARS.length];
    }
    return secret;
}
/** 4.0+ _check_token_format: the reason phrase, or null when the format is fine. */
export function tokenFormatProblem(token) {
    if (token.length !== CSRF_TOKEN_LENGTH && token.length !== CSRF_SECRET_LENGTH)
        return 'has incorrect length';
    if (INVALID_CHARS.test(token))
        return 'has invalid characters';
    return null;
}
/** 3.2 _sanitize_token: a usable masked token, or a fresh random one in place of anything else. */
export function sanitizeToken(token, random) {
    if (INVALID_CHARS.test(token))
        return maskCipherSecret(random(), random());
    if (token.length === CSRF_TOKEN_LENGTH)
        return token;
    if (token.length === CSRF_SECRET_LENGTH)
        return maskCipherSecret(token, random());
    return maskCipherSecret(random(), random());
}
function fromStored(stored, settings, random) {
    if (settings.before40) {
        const token = settings.useSessions ? stored : sanitizeToken(stored, random);
        if (token.length !== CSRF_TOKEN_LENGTH || INVALID_CHARS.test(token))
            return { check: { invalid: REASON_BAD_TOKEN_BEFORE_40 }, cookie: null, needsUpdate: false };
        return { check: { secret: unmaskCipherToken(token) }, cookie: token, needsUpdate: false };
    }
    if (!settings.useSessions) {
        const problem = tokenFormatProblem(stored);
        if (problem !== null)
            return { check: { invalid: `CSRF cookie ${problem}.` }, cookie: random(), needsUpdate: true };
    }
    const secret = stored.length === CSRF_TOKEN_LENGTH && !INVALID_CHARS.test(stored) ? unmaskCipherToken(stored) : stored;
    return { check: { secret }, cookie: secret, needsUpdate: false };
}
/**
 * CsrfViewMiddleware.process_request: the secret from the CSRF cookie's value, or with CSRF_USE_SESSIONS
 * from the session's _csrftoken (anything but a string there counts as nothing: Django would crash on it).
 */
export function loadCsrfState(stored, settings, random = randomCsrfString) {
    if (typeof stored !== 'string')
        return { check: { missing: true }, cookie: null, needsUpdate: false };
    return fromStored(stored, settings, random);
}
/**
 * get_token(): a fresh masked token for a form, and the value the cookie must then hold (written on the
 * response to renew its expiry, as Django does whenever a token is used).
 */
export function getToken(state, settings, random = randomCsrfString) {
    let cookie = state.cookie;
    if (cookie === null)
        cookie = settings.before40 ? maskCipherSecret(random(), random()) : random();
    const secret = settings.before40 ? unmaskCipherToken(cookie) : cookie;
    state.cookie = cookie;
    state.needsUpdate = true;
    return { token: maskCipherSecret(secret, random()), cookie };
}
export function isSafeMethod(method) {
    return SAFE_METHODS.has(method);
}
const reject = (reason) => ({ ok: false, reason });
const OK = { ok: true };
/** 4.0+ _origin_verified. */
export function originVerified(request, settings) {
    const origin = request.origin ?? '';
    if (request.host !== null && origin === `${request.secure ? 'https' : 'http'}://${request.host}`)
        return true;
    const wildcards = settings.trustedOrigins.filter((trusted) => trusted.includes('*'));
    if (settings.trustedOrigins.some((trusted) => !trusted.includes('*') && trusted === origin))
        return true;
    const parsed = splitUrl(origin);
    if (parsed === null)
        return false;
    return wildcards.some((trusted) => {
        const allowed = splitUrl(trusted);
        return allowed !== null && allowed.scheme === parsed.scheme && isSameDomain(parsed.netloc, allowed.netloc.replace(/^\*+/, ''));
    });
}
function goodReferer(request, settings) {
    const domain = settings.useSessions ? settings.sessionCookieDomain : settings.cookieDomain;
    if (domain === null)
        return request.host;
    return request.port === '443' || request.port === '80' ? domain : `${domain}:${request.port}`;
}
/** The Referer check of an HTTPS request: null when it passes, else the reason. */
export function refererProblem(request, settings) {
    if (request.referer === undefined)
        return REASON_NO_REFERER;
    const referer = splitUrl(request.referer);
    if (referer === null || referer.scheme === '' || referer.netloc === '')
        return REASON_MALFORMED_REFERER;
    if (referer.scheme !== 'https')
        return REASON_INSECURE_REFERER;
    const bad = REASON_BAD_REFERER.replace('%s', referer.url);
    const trustedHosts = settings.before40
        ? settings.trustedOrigins
        : settings.trustedOrigins.map((origin) => (splitUrl(origin)?.netloc ?? '').replace(/^\*+/, ''));
    if (trustedHosts.some((host) => isSameDomain(referer.netloc, host)))
        return null;
    const good = goodReferer(request, settings);
    return good !== null && isSameDomain(referer.netloc, good) ? null : bad;
}
/** HttpHeaders.parse_header_name: HTTP_X_CSRFTOKEN -> X-Csrftoken (Python's str.title()). */
function headerLabel(metaName) {
    return metaName
        .replace(/^HTTP_/, '')
        .replace(/_/g, '-')
        .toLowerCase()
        .replace(/(^|[^a-z])([a-z])/g, (_match, before, letter) => before + letter.toUpperCase());
}
function tokenVerdict(request, state, settings, random) {
    if ('missing' in state.check)
        return reject(REASON_NO_CSRF_COOKIE);
    if ('invalid' in state.check)
        return reject(state.check.invalid);
    const secret = state.check.secret;
    let token = request.method === 'POST' ? request.formToken : '';
    if (settings.before40) {
        if (token === '')
            token = request.headerToken ?? '';
        const masked = sanitizeToken(token, random);
        return constantTimeEquals(unmaskCipherToken(masked), secret) ? OK : reject(REASON_BAD_TOKEN_BEFORE_40);
    }
    let source = 'POST';
    if (token === '') {
        if (request.headerToken === undefined)
            return reject(REASON_CSRF_TOKEN_MISSING);
        token = request.headerToken;
        source = `the '${headerLabel(settings.headerName)}' HTTP header`;
    }
    const problem = tokenFormatProblem(token);
    if (problem !== null)
        return reject(`CSRF token from ${source} ${problem}.`);
    const candidate = token.length === CSRF_TOKEN_LENGTH ? unmaskCipherToken(token) : token;
    return constantTimeEquals(candidate, secret) ? OK : reject(`CSRF token from ${source} incorrect.`);
}
/** CsrfViewMiddleware.process_view for a view that is not csrf_exempt. */
export function checkCsrf(request, state, settings, random = randomCsrfString) {
    if (isSafeMethod(request.method))
        return OK;
    if (!settings.before40 && request.origin !== undefined) {
        if (!originVerified(request, settings))
            return reject(REASON_BAD_ORIGIN.replace('%s', request.origin));
    }
    else if (request.secure) {
        const problem = refererProblem(request, settings);
        if (problem !== null)
            return reject(problem);
    }
    return tokenVerdict(request, state, settings, random);
}
//# sourceMappingURL=csrf.js.map