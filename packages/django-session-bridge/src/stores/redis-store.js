import { createClient, RESP_TYPES } from '@redis/client';
import { decodeRedisValue } from "../django/index.js";
// SCAN MATCH is a glob: a KEY_PREFIX may contain its metacharacters.
function globEscape(text) {
    return text.replace(/[\\*?[\]]/g, (char) => `\\${char}`);
}
/**
 * Django's RedisCache or django-redis, read with node-redis. Commands fail at once while the connection is
 * down (no offline queue: a queued GET would outlive the visitor's deadline) and the client reconnects on
 * its own, so a Redis restart needs no restart here.
 */
export function createRedisCache(url, format, { timeoutMs, maxBytes }) {
    const client = createClient({
        url,
        disableOfflineQueue: true,
        socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
    }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    // Connection errors reach each command as a rejection; the client's event only says it will retry.
    client.on('error', () => { });
    const connecting = client.connect().catch(() => { });
    return {
        async read(key) {
            // Until the first connection, wait for it (the caller's deadline bounds the wait); after it, a lost
            // connection fails each command at once.
            await connecting;
            const value = await client.get(key);
            return value === null ? null : decodeRedisValue(value, format, maxBytes);
        },
        scan(prefix, batchSize) {
            const match = `${globEscape(prefix)}*`;
            return (async function* () {
                await connecting;
                for await (const keys of client.scanIterator({ MATCH: match, COUNT: batchSize })) {
                    if (keys.length > 0)
                        yield keys.map((key) => key.toString('utf8'));
                }
            })();
        },
        async close() {
            // Also stops a first connection still being retried.
            if (client.isOpen)
                client.destroy();
            await connecting;
        },
    };
}
//# sourceMappingURL=redis-store.js.map