import memjs from 'memjs';
import { decodeMemcachedValue } from "../django/index.js";
/** memcached://host:port → host:port, as memjs names a server. */
function serverOf(url) {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '11211'}`;
}
/**
 * Django's PyMemcacheCache, read with memjs: it returns each value's flags, which say how pymemcache
 * serialized it. memjs drops a failed connection and dials again on the next command, so a memcached
 * restart needs no restart here. One retry covers a connection memcached closed while it was idle.
 */
export function createMemcachedCache(url, { timeoutMs, maxBytes }) {
    const client = memjs.Client.create(serverOf(url), {
        timeout: timeoutMs / 1000,
        conntimeout: timeoutMs / 1000,
        retries: 1,
        retry_delay: 0.05,
        // memjs reports failures to this logger as well as to the command; the command's rejection is enough.
        logger: { log: () => { } },
    });
    return {
        async read(key) {
            const { value, flags } = await client.get(key);
            if (value === null)
                return null;
            return decodeMemcachedValue(value, flags?.length === 4 ? flags.readUInt32BE(0) : 0, maxBytes);
        },
        // memcached has no way to list keys.
        scan: () => null,
        async close() {
            client.close();
        },
    };
}
//# sourceMappingURL=memcached-store.js.map