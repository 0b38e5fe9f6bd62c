import { deflateSync, inflateSync } from 'node:zlib';
import { unpickle } from './pickle.ts';
import { pickleDumps, type PicklableValue } from './pickle-write.ts';
import { DEFAULT_SEPARATORS, parsePythonJson, pythonJsonDumps } from './python-json.ts';
import type { SessionDict } from './session-data.ts';

/** django-redis's SERIALIZER option (Django's own RedisCache always pickles). */
export type CacheSerializer = 'pickle' | 'json';
/** django-redis's COMPRESSOR option: none (its IdentityCompressor) or its ZlibCompressor. */
export type CacheCompressor = 'none' | 'zlib';

/** How django-redis wrote a value: its serializer and compressor settings. */
export interface RedisValueFormat {
  serializer: CacheSerializer;
  compressor: CacheCompressor;
}

/** Why a cache value is not a session dict: each is the verdict's reason. */
export type CacheValueFailure = 'bad_cache_value' | 'unsupported_pickle' | 'too_large' | 'not_object';

/** A session read from Django's cache: the dict the engine stored, decoded, or why it is not one. */
export type CachedSession =
  | {
    ok: true;
    session: SessionDict;
    format: string;
    /** The serializer's bytes (decompressed) the session was read from. */
    payload: Uint8Array;
  }
  | { ok: false; reason: CacheValueFailure; detail: string };

// pymemcache.serde flags (python-memcached's). Only a pickle can hold a dict, and the deserializer tries
// text, int and long before pickle; FLAG_COMPRESSED (1 << 3) is never set by it and changes nothing.
const FLAG_PICKLE = 1 << 0;
const FLAGS_BEFORE_PICKLE = (1 << 4) | (1 << 1) | (1 << 2);

// What Python's int() accepts from bytes: both backends try it first and return an int, never a session.
const PYTHON_INT = /^[ \t\n\v\f\r]*[+-]?\d+(?:_\d+)*[ \t\n\v\f\r]*$/;

// ignoreBOM keeps a leading U+FEFF in the text, where json.loads refuses it as Python does.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function failure(reason: CacheValueFailure, detail: string): CachedSession {
  return { ok: false, reason, detail };
}

function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
}

/** The session is whatever the engine stored; only a dict holds one, like SessionBase._session. */
function asSession(value: unknown, format: string, payload: Uint8Array): CachedSession {
  if (value instanceof Map) {
    // A dict with some non-str keys: those can never be _auth_user_id and friends.
    const entries = [...value].filter((entry): entry is [string, unknown] => typeof entry[0] === 'string');
    return { ok: true, session: Object.assign(Object.create(null) as SessionDict, Object.fromEntries(entries)), format, payload };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    return failure('not_object', `${format} holds ${value === null ? 'None' : Array.isArray(value) ? 'a list' : typeof value}, not a dict`);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== null && proto !== Object.prototype) return failure('not_object', `${format} holds ${value.constructor.name}, not a dict`);
  return { ok: true, session: value as SessionDict, format, payload };
}

function fromPickle(data: Uint8Array, maxBytes: number, format: string): CachedSession {
  const result = unpickle(data, { maxInputBytes: maxBytes });
  if (!result.ok) return failure(result.reason === 'bad_pickle' ? 'bad_cache_value' : result.reason, `${format}: ${result.detail}`);
  return asSession(result.value, format, data);
}

/** django-redis's JSONSerializer.loads: json.loads(force_str(value)), strict UTF-8 and a BOM kept. */
function fromJson(data: Uint8Array, format: string): CachedSession {
  let text: string;
  try {
    text = UTF8.decode(data);
  } catch {
    return failure('bad_cache_value', `${format}: not UTF-8`);
  }
  const loaded = parsePythonJson(text);
  if (!loaded.ok) return failure('bad_cache_value', `${format}: not JSON (${loaded.error})`);
  return asSession(loaded.value, format, data);
}

/**
 * What Django's RedisCache (RedisSerializer) and django-redis (DefaultClient.decode) make of the bytes at a
 * key: an int() if the bytes parse as one, else decompressed when they are zlib (django-redis keeps values
 * of 15 bytes or fewer uncompressed and falls back to the raw bytes on a zlib error), then deserialized.
 * Bounded like session_data: input, inflated size and the pickle's output never exceed maxBytes.
 */
export function decodeRedisValue(data: Buffer, { serializer, compressor }: RedisValueFormat, maxBytes: number): CachedSession {
  if (data.length > maxBytes) return failure('too_large', `${data.length} bytes stored, SESSION_MAX_BYTES is ${maxBytes}`);
  if (PYTHON_INT.test(data.toString('latin1'))) return failure('not_object', 'the entry is an integer, not a dict');
  let payload: Uint8Array = data;
  let format: string = serializer;
  if (compressor === 'zlib') {
    try {
      payload = inflateSync(data, { maxOutputLength: maxBytes });
      format = `zlib+${serializer}`;
    } catch (error) {
      if (isTooLarge(error)) return failure('too_large', `zlib-compressed entry inflates past SESSION_MAX_BYTES (${maxBytes})`);
    }
  }
  return serializer === 'json' ? fromJson(payload, format) : fromPickle(payload, maxBytes, format);
}

// django-redis's ZlibCompressor leaves values of 15 bytes or fewer as they are.
const ZLIB_MIN_LENGTH = 15;

/**
 * What Django's Redis backend stores for a session dict: a pickle (django-redis's PickleSerializer, protocol
 * 4 on Django 3.2's Pythons; Django 4.0+'s own RedisCache, protocol 5) or django-redis's JSONSerializer
 * (json.dumps with its default separators), zlib-compressed past 15 bytes when the compressor says so.
 */
export function encodeRedisValue(session: SessionDict, { serializer, compressor }: RedisValueFormat, pickleProtocol: 4 | 5): Buffer {
  const serialized = serializer === 'json'
    ? Buffer.from(pythonJsonDumps(session, DEFAULT_SEPARATORS), 'latin1')
    : pickleDumps(session as PicklableValue, pickleProtocol);
  return compressor === 'zlib' && serialized.length > ZLIB_MIN_LENGTH ? deflateSync(serialized) : serialized;
}

/** pymemcache's python_memcache_deserializer, as Django's PyMemcacheCache configures it (pickle_serde). */
export function decodeMemcachedValue(data: Buffer, flags: number, maxBytes: number): CachedSession {
  if (data.length > maxBytes) return failure('too_large', `${data.length} bytes stored, SESSION_MAX_BYTES is ${maxBytes}`);
  // flags 0 is bytes, FLAG_TEXT a str, FLAG_INTEGER/FLAG_LONG an int, unknown flags the raw bytes.
  if ((flags & FLAGS_BEFORE_PICKLE) !== 0 || (flags & FLAG_PICKLE) === 0) {
    return failure('not_object', `memcached flags ${flags}: not a pickle, so not a dict`);
  }
  return fromPickle(data, maxBytes, 'pickle');
}
