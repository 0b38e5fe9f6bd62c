import { standardB64Decode } from './base64.ts';
import { constantTimeEquals, saltedHmac } from './crypto.ts';
import { unpickle, type PickleResult } from './pickle.ts';
import { pythonJsonLoads } from './python-json.ts';
import { SESSION_SALT, SIGNED_COOKIES_SALT, secretKeys, type DjangoSettings } from './settings.ts';
import { unsignObject, type UnsignFailure } from './signing.ts';

/** A decoded Django session: the dict SessionStore holds. */
export type SessionDict = Record<string, unknown>;

/** Why session data did not decode: each is the verdict's reason. */
export type DecodeFailure =
  | UnsignFailure
  | 'not_json'
  | 'not_object'
  | 'pickled'
  | 'legacy_format_disabled'
  | Extract<PickleResult, { ok: false }>['reason'];

/** Decoded session data, with the index of the key that verified it, or the failure. */
export type Decoded =
  | {
    ok: true;
    session: SessionDict;
    keyIndex: number;
    format: 'signed' | 'legacy';
    /** The serializer's bytes the session was read from (a writer checks it can write them back). */
    payload: Buffer;
  }
  | { ok: false; reason: DecodeFailure; detail?: string };

const PICKLE_PROTOCOL_MARK = 0x80;

type Parsed = { ok: true; session: SessionDict } | { ok: false; reason: DecodeFailure; detail?: string };

function parseJson(payload: Buffer): Parsed {
  const loaded = pythonJsonLoads(payload);
  if (!loaded.ok) return { ok: false, reason: payload[0] === PICKLE_PROTOCOL_MARK ? 'pickled' : 'not_json', detail: loaded.error };
  const { value } = loaded;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not_object' };
  return { ok: true, session: value as SessionDict };
}

/** PickleSerializer.loads, through the reader that only yields plain values. */
function parsePickle(payload: Buffer, settings: DjangoSettings): Parsed {
  const result = unpickle(payload, { maxInputBytes: settings.maxSessionBytes });
  // The reader's detail (which class, which bound) is for session:inspect; the verdict needs only the reason.
  if (!result.ok) return { ok: false, reason: result.reason, detail: result.detail };
  const { value } = result;
  // A dict with some keys that are not str is still a session to Django; only its str keys can name a user.
  if (value instanceof Map) {
    const session = Object.create(null) as SessionDict;
    for (const [key, item] of value) if (typeof key === 'string') session[key] = item;
    return { ok: true, session };
  }
  // The reader makes every str-keyed dict, and nothing else, a null-prototype object.
  const isDict = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === null;
  return isDict ? { ok: true, session: value as SessionDict } : { ok: false, reason: 'not_object' };
}

function parsePayload(payload: Buffer, settings: DjangoSettings): Parsed {
  return settings.serializer === 'pickle' ? parsePickle(payload, settings) : parseJson(payload);
}

/** The pre-3.1 format: base64("<sha1 hex hmac>:<serialized>"), keyed with SECRET_KEY only. */
function decodeLegacy(sessionData: string, settings: DjangoSettings): Decoded | null {
  const raw = standardB64Decode(sessionData);
  if (raw === null) return null;
  const colon = raw.indexOf(':');
  if (colon < 0) return null;
  const hash = raw.subarray(0, colon).toString('latin1');
  const serialized = raw.subarray(colon + 1);
  const expected = saltedHmac('django.contrib.sessionsSessionStore', serialized, settings.secretKey, 'sha1').toString('hex');
  if (!constantTimeEquals(hash, expected)) return null;
  if (!settings.acceptLegacy) return { ok: false, reason: 'legacy_format_disabled' };
  if (serialized.length > settings.maxSessionBytes) return { ok: false, reason: 'too_large' };
  const parsed = parsePayload(serialized, settings);
  return parsed.ok ? { ok: true, session: parsed.session, keyIndex: 0, format: 'legacy', payload: serialized } : parsed;
}

/** SessionBase.decode for the db and cached_db engines: the django_session.session_data column. */
export function decodeSessionData(sessionData: string, settings: DjangoSettings): Decoded {
  const unsigned = unsignObject(sessionData, {
    keys: secretKeys(settings),
    salt: SESSION_SALT,
    acceptSha1: settings.acceptLegacy,
    maxBytes: settings.maxSessionBytes,
  });
  if (!unsigned.ok) {
    if (unsigned.reason === 'bad_signature') return decodeLegacy(sessionData, settings) ?? unsigned;
    return unsigned;
  }
  const parsed = parsePayload(unsigned.payload, settings);
  return parsed.ok ? { ok: true, session: parsed.session, keyIndex: unsigned.keyIndex, format: 'signed', payload: unsigned.payload } : parsed;
}

/** The signed_cookies engine: the cookie value is the signed session itself, valid for SESSION_COOKIE_AGE. */
export function decodeSignedCookie(cookie: string, settings: DjangoSettings, now: number): Decoded {
  const unsigned = unsignObject(cookie, {
    keys: secretKeys(settings),
    salt: SIGNED_COOKIES_SALT,
    acceptSha1: settings.acceptLegacy,
    maxAge: settings.sessionCookieAge,
    now,
    maxBytes: settings.maxSessionBytes,
  });
  if (!unsigned.ok) return unsigned;
  const parsed = parsePayload(unsigned.payload, settings);
  return parsed.ok ? { ok: true, session: parsed.session, keyIndex: unsigned.keyIndex, format: 'signed', payload: unsigned.payload } : parsed;
}
