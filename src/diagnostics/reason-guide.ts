import type { Reason } from 'django-session-bridge/django';

/**
 * What kind of outcome a reason is: logged in; a session that decoded but logs nobody in; session data that
 * does not decode; or no session data to look at.
 */
export type ReasonCategory = 'logged_in' | 'anonymous' | 'undecodable' | 'no_session';

export interface ReasonGuide {
  category: ReasonCategory;
  /** One line for the operator: what happened and where to look. Never shown to visitors. */
  explanation: string;
}

// A Record over Reason: a reason added to REASONS without an entry here does not compile.
export const REASON_GUIDE: Record<Reason, ReasonGuide> = {
  no_cookie: {
    category: 'no_session',
    explanation:
      'No session cookie reached the service: check that nginx forwards the Cookie header, that SESSION_COOKIE_PATH/SESSION_COOKIE_DOMAIN cover this path and host, that a SESSION_COOKIE_SECURE cookie is not expected over http, and that SESSION_COOKIE_NAME matches Django.',
  },
  malformed_key: {
    category: 'no_session',
    explanation:
      'The cookie cannot be a Django session key ([a-z0-9]{8,40}), so it was never looked up: another cookie of the same name (another app on the domain), or Django uses the signed_cookies engine and DJANGO_SESSION_ENGINE does not say so.',
  },
  no_row: {
    category: 'no_session',
    explanation:
      'No session is stored under this key (no django_session row; with the cache engine, no cache entry): the visitor logged out, the row was deleted or the entry outlived its TTL, or DATABASE_URL / DJANGO_CACHE_URL, DJANGO_CACHE_KEY_PREFIX or DJANGO_CACHE_VERSION is not what Django uses, or DJANGO_SESSION_ENGINE is not Django\'s SESSION_ENGINE.',
  },
  expired: {
    category: 'no_session',
    explanation:
      "The row's expire_date has passed (Django compares it with its own clock, as this service does): if Django disagrees, compare the two machines' clocks.",
  },
  bad_signature: {
    category: 'undecodable',
    explanation:
      'session_data verifies with neither DJANGO_SECRET_KEY nor any fallback: the secret key differs from Django\'s, the key that signed it was dropped from the fallbacks (try DJANGO_OLD_SECRET_KEYS with the session tools), DJANGO_VERSION is older or newer than the Django that wrote it, or the data was altered.',
  },
  signature_expired: {
    category: 'undecodable',
    explanation: 'The signed_cookies session is older than SESSION_COOKIE_AGE: check that it matches Django\'s, and the clock.',
  },
  bad_timestamp: {
    category: 'undecodable',
    explanation: 'The signature verifies but the timestamp is not base62: Django\'s signer never writes this; something else holding the secret key did.',
  },
  bad_base64: {
    category: 'undecodable',
    explanation: 'The signature verifies but the payload is not base64: Django\'s signer never writes this; something else holding the secret key did.',
  },
  bad_zlib: {
    category: 'undecodable',
    explanation: 'The signature verifies but the compressed payload does not inflate: Django\'s signer never writes this.',
  },
  too_large: {
    category: 'undecodable',
    explanation:
      "The decoded session is larger than SESSION_MAX_BYTES, or a pickle past the reader's memo, nesting or output bounds: raise SESSION_MAX_BYTES if Django really stores sessions this large.",
  },
  legacy_format_disabled: {
    category: 'undecodable',
    explanation: 'The session is in the pre-3.1 format, which Django 4.0+ no longer reads: check that DJANGO_VERSION is the Django that runs the site.',
  },
  pickled: {
    category: 'undecodable',
    explanation:
      'The payload is a pickle, but DJANGO_SESSION_SERIALIZER is json: if Django (4.2 or older) sets SESSION_SERIALIZER to PickleSerializer, set DJANGO_SESSION_SERIALIZER=pickle.',
  },
  unsupported_pickle: {
    category: 'undecodable',
    explanation:
      "The pickle names a class or uses an opcode outside the reader's allow-list (the value mapping in the package's django/pickle.ts): the session holds an object of another class, or the pickle is hostile. Nothing in it was run.",
  },
  bad_pickle: {
    category: 'undecodable',
    explanation: 'The signature verifies but the payload is not a well-formed pickle: is DJANGO_SESSION_SERIALIZER=pickle right for this site (a JSON session fails here too)?',
  },
  not_json: {
    category: 'undecodable',
    explanation: 'The signature verifies but the payload is not JSON: a custom SESSION_SERIALIZER?',
  },
  bad_cache_value: {
    category: 'undecodable',
    explanation:
      'The cache entry at the session\'s key is not what the configured backend writes (a broken pickle, zlib or JSON, memcached flags of something else): DJANGO_CACHE_SERIALIZER and DJANGO_CACHE_COMPRESSOR must match the OPTIONS of Django\'s cache (django-redis SERIALIZER and COMPRESSOR), or something else writes to that key.',
  },
  not_object: {
    category: 'undecodable',
    explanation: 'The payload (JSON, or the value of a cache entry) is not an object (a dict), so it cannot name a user.',
  },
  anonymous: {
    category: 'anonymous',
    explanation:
      'A valid session without a logged-in user: Django keeps sessions for anonymous visitors too. If Django says this visitor is logged in, the browser sends Django another cookie (check the cookie path and domain).',
  },
  bad_user_id: {
    category: 'anonymous',
    explanation: '_auth_user_id is not an integer as Django\'s int() reads it.',
  },
  backend_not_allowed: {
    category: 'anonymous',
    explanation: '_auth_user_backend is not in DJANGO_AUTHENTICATION_BACKENDS: copy Django\'s AUTHENTICATION_BACKENDS.',
  },
  no_user: {
    category: 'anonymous',
    explanation: 'The user the session names does not exist (deleted, or DJANGO_USER_TABLE is not the AUTH_USER_MODEL table).',
  },
  inactive: {
    category: 'anonymous',
    explanation: 'The user is deactivated (is_active is false) and the backend refuses inactive users.',
  },
  no_hash: {
    category: 'anonymous',
    explanation: 'The session names a user but has no _auth_user_hash: Django logs such sessions out.',
  },
  hash_mismatch: {
    category: 'anonymous',
    explanation:
      '_auth_user_hash does not match the user\'s current password with any configured key: the password changed since log-in (Django logs this session out too), or the hash was made with a key no longer in the fallbacks (try DJANGO_OLD_SECRET_KEYS).',
  },
  logged_in: {
    category: 'logged_in',
    explanation: 'Logged in: the auth hash matches the user\'s password with DJANGO_SECRET_KEY.',
  },
  logged_in_fallback_key: {
    category: 'logged_in',
    explanation:
      'Logged in through a fallback key: the auth hash matches only with a DJANGO_SECRET_KEY_FALLBACKS key. Removing that key logs this visitor out; Django rewrites the hash on their next request.',
  },
  logged_in_legacy_hash: {
    category: 'logged_in',
    explanation: 'Logged in with the SHA-1 auth hash that Django 3.1/3.2 still accept; Django 4.0+ would log this visitor out.',
  },
};

export function categoryOf(reason: Reason): ReasonCategory {
  return REASON_GUIDE[reason].category;
}
