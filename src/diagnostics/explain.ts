import type { SessionEngine } from '../config.ts';
import { sessionAuthHash } from 'django-session-bridge/django';
import { constantTimeEquals } from 'django-session-bridge/django';
import { HASH_SESSION_KEY, SESSION_KEY, type DjangoUser } from 'django-session-bridge/django';
import type { Reason } from 'django-session-bridge/django';
import { pickleJson } from 'django-session-bridge/django';
import { decodeSessionData, decodeSignedCookie, type Decoded, type DecodeFailure, type SessionDict } from 'django-session-bridge/django';
import { isSessionKey } from 'django-session-bridge/django';
import { secretKeys, type DjangoSettings } from 'django-session-bridge/django';
import { parseUserId } from 'django-session-bridge/django';
import { keyHash } from '../logger.ts';
import { createAuthenticate } from 'django-session-bridge';
import type { CachedSessionEntry, SessionStore } from 'django-session-bridge';
import type { CacheValueFailure } from 'django-session-bridge/django';
import { keyUse, onlyKey, withFallback, withoutFallback, type KeyUse } from './key-variants.ts';
import { REASON_GUIDE } from './reason-guide.ts';
import { rememberingStore } from './remembering-store.ts';

/** The user row as the tools show it: everything the decision and the pages read except the password hash. */
export interface UserFacts {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

export interface Explanation {
  engine: SessionEngine;
  /** The short hash the service logs for this session key (LOG_LEVEL=debug): grep the logs for it. */
  keyHash: string | null;
  /** The django_session row, when one was found (never for signed_cookies, which has no table). */
  row: { expireDate: Date; expired: boolean } | null;
  /** Which configured key verified session_data; null when there was nothing to verify. */
  signature: KeyUse | null;
  /** signed or legacy for session_data; for a cache entry, how its backend encoded it (pickle, zlib+json...). */
  format: string | null;
  /** The cache entry, for the cache engine and for a cached_db session found in the cache. */
  cacheEntry: { found: true; detail: string | null } | null;
  decodeError: DecodeFailure | CacheValueFailure | null;
  /** What the pickle reader refused, e.g. "global collections.OrderedDict is not on the allow-list". */
  decodeDetail?: string;
  /** The decoded session dict, with _auth_user_hash cut to a prefix. */
  session: SessionDict | null;
  user: UserFacts | null;
  /** Which configured key _auth_user_hash matches for the user's current password; null when not checked. */
  authHash: KeyUse | null;
  verdict: { loggedIn: boolean; reason: Reason; explanation: string };
  /** What would change the verdict: keys added back or removed, another DJANGO_VERSION. */
  hints: string[];
}

export interface ExplainOptions {
  store: SessionStore;
  settings: DjangoSettings;
  engine: SessionEngine;
  now: Date;
  djangoVersion: string;
  /** DJANGO_OLD_SECRET_KEYS: keys no longer configured, tried only to say whether adding one back would help. */
  oldKeys?: readonly string[];
}

const HASH_PREFIX = 8;

function userFacts(user: DjangoUser): UserFacts {
  return {
    id: user.id.toString(),
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    isActive: user.isActive,
    isStaff: user.isStaff,
    isSuperuser: user.isSuperuser,
  };
}

// The auth hash is derived from the password hash and the secret key: enough of it to compare by eye.
// A pickled session may hold what JSON cannot (bigints, bytes, non-str keys): those are shown tagged.
function forDisplay(session: SessionDict): SessionDict {
  const hash = session[HASH_SESSION_KEY];
  const shown = typeof hash !== 'string' || hash.length <= HASH_PREFIX ? session : { ...session, [HASH_SESSION_KEY]: `${hash.slice(0, HASH_PREFIX)}…` };
  return pickleJson(shown) as SessionDict;
}

function decoder(engine: SessionEngine, data: string, now: Date): (settings: DjangoSettings) => Decoded {
  return engine === 'signed_cookies'
    ? (settings) => decodeSignedCookie(data, settings, now.getTime() / 1000)
    : (settings) => decodeSessionData(data, settings);
}

// Any outcome but bad_signature means the signature verified with that key (it is checked first).
function verifies(decoded: Decoded): boolean {
  return decoded.ok || decoded.reason !== 'bad_signature';
}

function signatureKey(decode: (settings: DjangoSettings) => Decoded, settings: DjangoSettings, decoded: Decoded): KeyUse {
  if (!verifies(decoded)) return 'none';
  return keyUse(secretKeys(settings).findIndex((key) => verifies(decode(onlyKey(settings, key)))));
}

function authHashKey(session: SessionDict, user: DjangoUser, settings: DjangoSettings): KeyUse | null {
  const hash = session[HASH_SESSION_KEY];
  if (typeof hash !== 'string' || hash === '') return null;
  const keys = secretKeys(settings);
  const index = keys.findIndex((key) => constantTimeEquals(hash, sessionAuthHash(user.password, key)));
  if (index >= 0) return keyUse(index);
  if (settings.acceptLegacy && constantTimeEquals(hash, sessionAuthHash(user.password, settings.secretKey, 'sha1'))) return 'current';
  return 'none';
}

/**
 * Why this cookie is (not) logged in: the service's own decision (createAuthenticate over the same store),
 * and everything behind it — the row, the decoded dict, which key verified what, the user — plus what would
 * change it. Reads only.
 */
export async function explain(cookie: string | undefined, options: ExplainOptions): Promise<Explanation> {
  const { settings, engine, now } = options;
  const store = rememberingStore(options.store);
  const decide = (variant: DjangoSettings) => createAuthenticate({ store, settings: variant, engine, now: () => now })(cookie);
  const verdict = await decide(settings);

  const explanation: Explanation = {
    engine,
    keyHash: cookie ? keyHash(cookie) : null,
    row: null,
    signature: null,
    format: null,
    cacheEntry: null,
    decodeError: null,
    session: null,
    user: null,
    authHash: null,
    verdict: { loggedIn: verdict.loggedIn, reason: verdict.reason, explanation: REASON_GUIDE[verdict.reason].explanation },
    hints: [],
  };
  if (!cookie) return explanation;

  let data: string | null = null;
  if (engine === 'signed_cookies') {
    data = cookie;
  } else if (isSessionKey(cookie)) {
    const row = await store.findSession(cookie);
    if (row !== null && 'cached' in row) return explainCached(explanation, row, store, settings);
    if (row !== null) {
      explanation.row = { expireDate: row.expireDate, expired: row.expireDate.getTime() <= now.getTime() };
      data = row.sessionData;
    }
  }
  if (data === null) return explanation;

  const decode = decoder(engine, data, now);
  const decoded = decode(settings);
  explanation.signature = signatureKey(decode, settings, decoded);
  if (decoded.ok) {
    explanation.format = decoded.format;
    await describeSession(explanation, decoded.session, store, settings);
  } else {
    explanation.decodeError = decoded.reason;
    if (decoded.detail !== undefined) explanation.decodeDetail = decoded.detail;
  }
  explanation.hints = await hints(verdict.loggedIn, decode, decoded, options, decide);
  return explanation;
}

// Looked up even where the decision stopped earlier (an expired row, a backend not allowed): whom the
// session names is what the operator asks first.
async function describeSession(explanation: Explanation, session: SessionDict, store: SessionStore, settings: DjangoSettings): Promise<void> {
  explanation.session = forDisplay(session);
  const userId = SESSION_KEY in session ? parseUserId(session[SESSION_KEY]) : null;
  const user = typeof userId === 'bigint' ? await store.findUser(userId) : null;
  if (user !== null) {
    explanation.user = userFacts(user);
    explanation.authHash = authHashKey(session, user, settings);
  }
}

// A cache entry is not signed: there is no key to vary, so no key hints either.
async function explainCached(explanation: Explanation, { cached }: CachedSessionEntry, store: SessionStore, settings: DjangoSettings): Promise<Explanation> {
  explanation.cacheEntry = { found: true, detail: cached.ok ? null : cached.detail };
  if (!cached.ok) {
    explanation.decodeError = cached.reason;
    return explanation;
  }
  explanation.format = cached.format;
  await describeSession(explanation, cached.session, store, settings);
  return explanation;
}

async function hints(
  loggedIn: boolean,
  decode: (settings: DjangoSettings) => Decoded,
  decoded: Decoded,
  { settings, djangoVersion, oldKeys = [] }: ExplainOptions,
  decide: (settings: DjangoSettings) => Promise<{ loggedIn: boolean }>,
): Promise<string[]> {
  const found: string[] = [];
  if (loggedIn) {
    for (const position of settings.secretKeyFallbacks.keys()) {
      if (!(await decide(withoutFallback(settings, position + 1))).loggedIn) {
        found.push(`Depends on fallback ${position + 1}: removing it from DJANGO_SECRET_KEY_FALLBACKS (and Django's SECRET_KEY_FALLBACKS) logs this visitor out.`);
      }
    }
    return found;
  }
  for (const [position, key] of oldKeys.entries()) {
    if ((await decide(withFallback(settings, key))).loggedIn) {
      found.push(`Would be logged in with DJANGO_OLD_SECRET_KEYS key ${position + 1} added back to SECRET_KEY_FALLBACKS.`);
    } else if (!verifies(decoded) && verifies(decode(onlyKey(settings, key)))) {
      found.push(`session_data is signed with DJANGO_OLD_SECRET_KEYS key ${position + 1}.`);
    }
  }
  if (!settings.acceptLegacy && (await decide({ ...settings, acceptLegacy: true })).loggedIn) {
    found.push(`Would be logged in under Django 3.1/3.2 rules (SHA-1 signatures and auth hashes, the pre-3.1 format), but DJANGO_VERSION is ${djangoVersion}: is that the Django that runs the site?`);
  }
  return found;
}
