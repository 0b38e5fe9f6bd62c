import type { CachedSession } from '../django/index.ts';
import { withinDeadline } from '../deadline.ts';

/**
 * Django's session cache as this service reads it: GETs of whole keys, decoded the way the Django backend
 * that wrote them decodes. Implementations only read, and let connection errors escape (a 503, never a
 * verdict).
 */
export interface SessionCache {
  /** The entry at a full cache key (prefix, version and all), decoded; null when there is none. */
  read(key: string): Promise<CachedSession | null>;
  /** Every key starting with prefix, a batch at a time; null when the server cannot enumerate (memcached). */
  scan(prefix: string, batchSize: number): AsyncIterable<string[]> | null;
  close(): Promise<void>;
}

/** How to reach Django's cache (Redis or memcached) and bound each command. */
export interface SessionCacheOptions {
  /** Connect and command timeout; the request's own deadline bounds the total. */
  timeoutMs: number;
  /** SESSION_MAX_BYTES: the largest entry read, inflated or unpickled. */
  maxBytes: number;
}

/** The cache did not answer in time, or refused: a 503, never a verdict. */
export class CacheUnavailableError extends Error {
  override name = 'CacheUnavailableError';

  constructor(cause: unknown) {
    super('The session cache is not answering', { cause });
  }
}

/** One read, bounded by timeoutMs, with every failure to answer turned into CacheUnavailableError. */
export async function readCache(cache: SessionCache, key: string, timeoutMs: number): Promise<CachedSession | null> {
  try {
    return await withinDeadline(cache.read(key), timeoutMs);
  } catch (error) {
    throw new CacheUnavailableError(error);
  }
}
