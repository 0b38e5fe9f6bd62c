import { createClient, RESP_TYPES } from '@redis/client';
import type { CacheConfig } from '../config/settings.ts';
import { decodeRedisValue, encodeRedisValue, type SessionDict } from '../django/index.ts';
import { carriedSession } from './session-encoding.ts';

/** The session cache as the write side uses it: Django's cache.get / add / set / delete. */
export interface SessionCacheClient {
  get(key: string): Promise<SessionDict | null>;
  /** cache.add: only when the key is free (SET NX), for create(). */
  add(key: string, session: SessionDict, ttlSeconds: number): Promise<boolean>;
  set(key: string, session: SessionDict, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Redis written as Django's cache backend writes it (encodeRedisValue: django-redis's pickle or JSON, or
 * Django 4.0+'s RedisCache pickle; each pickle protocol reads the other), with the session's expiry age as the TTL.
 */
export function openRedisSessionCache(cache: CacheConfig, djangoVersion: string, timeoutMs: number, maxBytes: number): SessionCacheClient {
  const protocol = Number(djangoVersion.split('.')[0]) >= 4 ? 5 : 4;
  const client = createClient({ url: cache.url, disableOfflineQueue: true, socket: { connectTimeout: timeoutMs } })
    .withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on('error', () => {});
  const connecting = client.connect().catch(() => {});
  const encode = (session: SessionDict): Buffer => encodeRedisValue(session, cache, protocol);
  // A timeout of 0 or less deletes the entry at once, as Django's backends do.
  const expiry = (ttlSeconds: number) => ({ expiration: { type: 'EX' as const, value: Math.max(1, ttlSeconds) } });
  return {
    async get(key) {
      await connecting;
      const value = await client.get(key);
      if (value === null) return null;
      const decoded = decodeRedisValue(value, cache, maxBytes);
      return decoded.ok ? carriedSession(decoded.session, decoded.payload, cache.serializer) : null;
    },
    async add(key, session, ttlSeconds) {
      await connecting;
      return (await client.set(key, encode(session), { ...expiry(ttlSeconds), condition: 'NX' })) !== null;
    },
    async set(key, session, ttlSeconds) {
      await connecting;
      if (ttlSeconds <= 0) await client.del(key);
      else await client.set(key, encode(session), expiry(ttlSeconds));
    },
    async delete(key) {
      await connecting;
      await client.del(key);
    },
    async close() {
      if (client.isOpen) client.destroy();
      await connecting;
    },
  };
}
