import { isSessionKey } from 'django-session-bridge/django';
import type { SessionCache } from 'django-session-bridge';
import type { SessionRecord } from './batch-store.ts';

/**
 * Every session entry in a Redis cache, batchSize keys at a time: SCAN with MATCH on the engine's key
 * prefix (never KEYS, which blocks Redis for the whole keyspace), then the entries of each batch. Memory
 * stays at one batch. Keys under the prefix that are not Django session keys are not sessions. SCAN may return a key twice when Redis resizes its table mid-scan, and an entry that
 * expires between the SCAN and its GET is left out.
 */
export async function* cachedSessions(cache: SessionCache, prefix: string, batchSize: number): AsyncGenerator<SessionRecord[]> {
  const scan = cache.scan(prefix, batchSize);
  if (scan === null) throw new Error('this cache cannot list its keys');
  for await (const keys of scan) {
    // cached_db's prefix starts with the cache engine's ("…sessions.cache" + "d_db…"): not a session key.
    const sessionKeys = keys.map((key) => key.slice(prefix.length)).filter(isSessionKey);
    const entries = await Promise.all(sessionKeys.map(async (sessionKey) => ({ sessionKey, cached: await cache.read(prefix + sessionKey) })));
    const found = entries.filter((entry): entry is SessionRecord & { cached: NonNullable<typeof entry.cached> } => entry.cached !== null);
    if (found.length > 0) yield found;
  }
}
