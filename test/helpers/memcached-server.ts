import { connect } from 'node:net';
import { startCacheServer, type CacheServer } from './cache-server.ts';
import { missingPrograms } from './packaged-suite.ts';

export const MEMCACHED_MISSING = missingPrograms({ memcached: 'memcached' });

/** memcached on a free loopback port (no UDP); it refuses to run as root without -u. */
export function startMemcached(): Promise<CacheServer> {
  return startCacheServer('memcached', 'memcached', (port) => ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-u', 'nobody']);
}

/**
 * Writes raw bytes with their flags over the text protocol, as pymemcache does: the clients on npm leave
 * flags out of their set().
 */
export function memcachedSet(port: number, entries: Record<string, { value: Buffer; flags: number }>, ttlSeconds = 3600): Promise<void> {
  const list = Object.entries(entries);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let replies = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      replies += chunk.toString('latin1');
      if ((replies.match(/\r\n/g) ?? []).length < list.length) return;
      socket.end();
      if (replies.split('\r\n').filter(Boolean).every((reply) => reply === 'STORED')) resolve();
      else reject(new Error(`memcached refused a set: ${replies}`));
    });
    for (const [key, { value, flags }] of list) {
      socket.write(Buffer.concat([Buffer.from(`set ${key} ${flags} ${ttlSeconds} ${value.length}\r\n`, 'latin1'), value, Buffer.from('\r\n')]));
    }
    if (list.length === 0) socket.end(resolve);
  });
}
