import { connect, type Socket } from 'node:net';
import type { CacheConfig } from '../config/settings.ts';
import { decodeMemcachedValue, pickleDumps, type PicklableValue, type SessionDict } from '../django/index.ts';
import { carriedSession } from './session-encoding.ts';
import type { SessionCacheClient } from './redis-writer.ts';

// pymemcache's pickle_serde: a dict is pickled at the highest protocol, with flag FLAG_PICKLE.
const FLAG_PICKLE = 1;
const PICKLE_PROTOCOL = 5;
// BaseMemcachedCache.get_backend_timeout: past 30 days memcached reads the number as a Unix time.
const RELATIVE_LIMIT = 30 * 24 * 3600;
// Replies are one status line, or one value; never more than the session bound and a header.
const HEADER_MAX = 512;

function exptime(ttlSeconds: number): number {
  return ttlSeconds > RELATIVE_LIMIT ? ttlSeconds + Math.floor(Date.now() / 1000) : ttlSeconds;
}

/** One command on a connection of its own (log-ins are rare), the reply read whole within the deadline. */
function command(host: string, port: number, request: Buffer, done: (reply: Buffer) => boolean, timeoutMs: number, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    const chunks: Buffer[] = [];
    let length = 0;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error('memcached did not answer in time')));
    socket.on('error', fail);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length > maxBytes + HEADER_MAX) return fail(new Error('memcached answered more than a session can hold'));
      const reply = Buffer.concat(chunks);
      if (done(reply)) {
        socket.end();
        resolve(reply);
      }
    });
  });
}

const VALUE_HEADER = /^VALUE \S+ (\d+) (\d+)\r\n/;
const statusLine = (reply: Buffer) => reply.includes('\r\n');

/** Django's PyMemcacheCache, written over memcached's text protocol: get, add, set, delete. */
export function openMemcachedSessionCache(cache: CacheConfig, timeoutMs: number, maxBytes: number): SessionCacheClient {
  const url = new URL(cache.url);
  const host = url.hostname;
  const port = Number(url.port || '11211');
  const run = (request: Buffer, done: (reply: Buffer) => boolean) => command(host, port, request, done, timeoutMs, maxBytes);
  const store = async (verb: 'add' | 'set', key: string, session: SessionDict, ttlSeconds: number): Promise<boolean> => {
    const value = pickleDumps(session as PicklableValue, PICKLE_PROTOCOL);
    const request = Buffer.concat([Buffer.from(`${verb} ${key} ${FLAG_PICKLE} ${exptime(ttlSeconds)} ${value.length}\r\n`, 'latin1'), value, Buffer.from('\r\n')]);
    const reply = (await run(request, statusLine)).toString('latin1');
    if (reply === 'STORED\r\n') return true;
    if (reply === 'NOT_STORED\r\n') return false;
    throw new Error(`memcached refused the session: ${reply.trim().slice(0, 80)}`);
  };
  return {
    async get(key) {
      const reply = await run(Buffer.from(`get ${key}\r\n`, 'latin1'), (r) => {
        if (r.subarray(0, 5).toString('latin1') === 'END\r\n') return true;
        const found = VALUE_HEADER.exec(r.subarray(0, HEADER_MAX).toString('latin1'));
        // The value's length is in its header: a value may itself contain "\r\nEND\r\n".
        return found !== null && r.length >= found[0].length + Number(found[2]) + '\r\nEND\r\n'.length;
      });
      const header = VALUE_HEADER.exec(reply.subarray(0, HEADER_MAX).toString('latin1'));
      if (header === null) return null;
      const start = header[0].length;
      const decoded = decodeMemcachedValue(reply.subarray(start, start + Number(header[2])), Number(header[1]), maxBytes);
      return decoded.ok ? carriedSession(decoded.session, decoded.payload, 'pickle') : null;
    },
    add: (key, session, ttlSeconds) => store('add', key, session, ttlSeconds),
    async set(key, session, ttlSeconds) {
      await store('set', key, session, ttlSeconds);
    },
    async delete(key) {
      await run(Buffer.from(`delete ${key}\r\n`, 'latin1'), statusLine);
    },
    close: async () => {},
  };
}
