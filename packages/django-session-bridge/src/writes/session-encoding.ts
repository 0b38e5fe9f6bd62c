import {
  pickleDumps,
  pythonJsonDumps,
  SESSION_SALT,
  signSerialized,
  type Decoded,
  type DjangoSettings,
  type PicklableValue,
  type SessionDict,
} from '../django/index.ts';

// PickleSerializer.protocol is pickle.HIGHEST_PROTOCOL: 5 on every Python from 3.8 on.
const PICKLE_PROTOCOL = 5;

/** SESSION_SERIALIZER's dumps(): JSONSerializer's compact json.dumps, or PickleSerializer's pickle.dumps. */
export function serializeSession(data: SessionDict, django: DjangoSettings): Buffer {
  return django.serializer === 'pickle' ? pickleDumps(data as PicklableValue, PICKLE_PROTOCOL) : Buffer.from(pythonJsonDumps(data), 'latin1');
}

/**
 * SessionBase.encode at `nowMs` (signing.dumps(session, salt=…, serializer=SESSION_SERIALIZER, compress=True));
 * with SIGNED_COOKIES_SALT, the signed_cookies engine's cookie.
 */
export function encodeSessionData(data: SessionDict, django: DjangoSettings, nowMs: number, salt = SESSION_SALT): string {
  return signSerialized(serializeSession(data, django), { key: django.secretKey, salt, compress: true, timestamp: Math.floor(nowMs / 1000) });
}

/**
 * A loaded session's data as a save carries it on. JSON holds only JSON's kinds, which are written back as
 * Django would. A pickle is carried on only when pickling what was read gives back the very bytes it came
 * from: a tuple, set, datetime or Decimal reads as a list or a plain object and would be written back as
 * one, so such a session is saved empty instead (its auth keys set again by login()).
 */
export function carriedSession(session: SessionDict, payload: Uint8Array, serializer: 'json' | 'pickle'): SessionDict {
  if (serializer !== 'pickle') return { ...session };
  const protocol = payload[1];
  if (protocol !== 4 && protocol !== 5) return {};
  try {
    return pickleDumps(session as PicklableValue, protocol).equals(payload) ? { ...session } : {};
  } catch {
    return {};
  }
}

/** carriedSession for session_data or a signed cookie: an undecodable one is an empty session. */
export function carriedData(decoded: Decoded, django: DjangoSettings): SessionDict {
  return decoded.ok ? carriedSession(decoded.session, decoded.payload, django.serializer ?? 'json') : {};
}
