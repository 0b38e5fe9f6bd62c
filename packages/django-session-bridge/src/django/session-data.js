import { standardB64Decode } from "./base64.js";
import { constantTimeEquals, saltedHmac } from "./crypto.js";
import { unpickle } from "./pickle.js";
import { pythonJsonLoads } from "./python-json.js";
import { SESSION_SALT, SIGNED_COOKIES_SALT, secretKeys } from "./settings.js";
import { unsignObject } from "./signing.js";
const PICKLE_PROTOCOL_MARK = 0x80;
function parseJson(payload) {
    const value = pythonJsonLoads(payload);
    if (value === undefined)
        return { ok: false, reason: payload[0] === PICKLE_PROTOCOL_MARK ? 'pickled' : 'not_json' };
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return { ok: false, reason: 'not_object' };
    return { ok: true, session: value };
}
/** PickleSerializer.loads, through the reader that only yields plain values. */
function parsePickle(payload, settings) {
    const result = unpickle(payload, { maxInputBytes: settings.maxSessionBytes });
    // The reader's detail (which class, which bound) is for session:inspect; the verdict needs only the reason.
    if (!result.ok)
        return { ok: false, reason: result.reason, detail: result.detail };
    const { value } = result;
    // A dict with some keys that are not str is still a session to Django; only its str keys can name a user.
    if (value instanceof Map) {
        const session = Object.create(null);
        for (const [key, item] of value)
            if (typeof key === 'string')
                session[key] = item;
        return { ok: true, session };
    }
    // The reader makes every str-keyed dict, and nothing else, a null-prototype object.
    const isDict = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === null;
    return isDict ? { ok: true, session: value } : { ok: false, reason: 'not_object' };
}
function parsePayload(payload, settings) {
    return settings.serializer === 'pickle' ? parsePickle(payload, settings) : parseJson(payload);
}
/** The pre-3.1 format: base64("<sha1 hex hmac>:<serialized>"), keyed with SECRET_KEY only. */
function decodeLegacy(sessionData, settings) {
    const raw = standardB64Decode(sessionData);
    if (raw === null)
        return null;
    const colon = raw.indexOf(':');
    if (colon < 0)
        return null;
    const hash = raw.subarray(0, colon).toString('latin1');
    const serialized = raw.subarray(colon + 1);
    const expected = saltedHmac('django.contrib.sessionsSessionStore', serialized, settings.secretKey, 'sha1').toString('hex');
    if (!constantTimeEquals(hash, expected))
        return null;
    if (!settings.acceptLegacy)
        return { ok: false, reason: 'legacy_format_disabled' };
    if (serialized.length > settings.maxSessionBytes)
        return { ok: false, reason: 'too_large' };
    const parsed = parsePayload(serialized, settings);
    return parsed.ok ? { ok: true, session: parsed.session, keyIndex: 0, format: 'legacy' } : parsed;
}
/** SessionBase.decode for the db and cached_db engines: the django_session.session_data column. */
export function decodeSessionData(sessionData, settings) {
    const unsigned = unsignObject(sessionData, {
        keys: secretKeys(settings),
        salt: SESSION_SALT,
        acceptSha1: settings.acceptLegacy,
        maxBytes: settings.maxSessionBytes,
    });
    if (!unsigned.ok) {
        if (unsigned.reason === 'bad_signature')
            return decodeLegacy(sessionData, settings) ?? unsigned;
        return unsigned;
    }
    const parsed = parsePayload(unsigned.payload, settings);
    return parsed.ok ? { ok: true, session: parsed.session, keyIndex: unsigned.keyIndex, format: 'signed' } : parsed;
}
/** The signed_cookies engine: the cookie value is the signed session itself, valid for SESSION_COOKIE_AGE. */
export function decodeSignedCookie(cookie, settings, now) {
    const unsigned = unsignObject(cookie, {
        keys: secretKeys(settings),
        salt: SIGNED_COOKIES_SALT,
        acceptSha1: settings.acceptLegacy,
        maxAge: settings.sessionCookieAge,
        now,
        maxBytes: settings.maxSessionBytes,
    });
    if (!unsigned.ok)
        return unsigned;
    const parsed = parsePayload(unsigned.payload, settings);
    return parsed.ok ? { ok: true, session: parsed.session, keyIndex: unsigned.keyIndex, format: 'signed' } : parsed;
}
//# sourceMappingURL=session-data.js.map