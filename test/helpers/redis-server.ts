import { createClient, RESP_TYPES } from '@redis/client';
import { startCacheServer, type CacheServer } from './cache-server.ts';
import { missingPrograms } from './packaged-suite.ts';

export const REDIS_MISSING = missingPrograms({ 'redis-server': 'redis-server' });

/** A diskless redis-server on a free loopback port. */
export function startRedis(): Promise<CacheServer> {
  return startCacheServer('redis', 'redis-server', (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
}

/** Writes raw bytes at keys, as a Django backend left them (with a TTL, as Django sets one). */
export async function redisSet(url: string, entries: Record<string, Buffer>, ttlSeconds = 3600): Promise<void> {
  const client = createClient({ url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const [key, value] of Object.entries(entries)) await client.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } });
  } finally {
    client.destroy();
  }
}
