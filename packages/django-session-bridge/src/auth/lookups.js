import { createAuthenticate } from "../stores/authenticate.js";
import { cacheDecisions } from "../stores/cache.js";
import { cacheFirst } from "../stores/cache-first-store.js";
import { createCacheStore } from "../stores/cache-store.js";
import { createMariaDbPermissionStore } from "../stores/mariadb-permissions-store.js";
import { createMariaDbStore } from "../stores/mariadb-store.js";
import { naiveZone, readingNaiveExpiry } from "../stores/naive-expiry.js";
import { routeReads } from "../stores/read-routing.js";
import { createSqlPermissionStore } from "../stores/sql-permissions-store.js";
import { createSqlStore } from "../stores/sql-store.js";
import { createSqlitePermissionStore } from "../stores/sqlite-permissions-store.js";
import { createSqliteStore } from "../stores/sqlite-store.js";
/**
 * The client for the session cache, when one is configured; its owner closes it. The client library is
 * loaded only then: most sites keep sessions in the database, and @redis/client alone loads slower than the
 * rest of the library.
 */
export async function openSessionCache(config) {
    const { cache } = config;
    if (cache === undefined)
        return undefined;
    const options = sessionCacheOptions(config);
    if (cache.kind === 'redis')
        return (await import("../stores/redis-store.js")).createRedisCache(cache.url, cache, options);
    return (await import("../stores/memcached-store.js")).createMemcachedCache(cache.url, options);
}
/** The cache client's bounds: the request's deadline, and the largest session it decodes. */
export function sessionCacheOptions(config) {
    return { timeoutMs: config.dbTimeoutMs, maxBytes: config.django.maxSessionBytes };
}
/** The database's own store, its driver's statements, read at Django's TIME_ZONE where expire_date is naive. */
export function databaseStore(config, db, tables) {
    const store = db.provider === 'postgresql' ? createSqlStore(db.pool, tables) : db.provider === 'mysql' ? createMariaDbStore(db.pool, tables) : createSqliteStore(db, tables);
    return db.naiveDatetimes ? readingNaiveExpiry(store, naiveZone(config)) : store;
}
/** The database's permission loader, on the same driver as its store. */
export function databasePermissions(db, tables) {
    if (db.provider === 'postgresql')
        return createSqlPermissionStore(db.pool, tables.permissions);
    if (db.provider === 'mysql')
        return createMariaDbPermissionStore(db.pool, tables.permissions);
    return createSqlitePermissionStore(db, tables.permissions);
}
/** The session engine's store over the database's: the cache alone, the cache before the database, or the database. */
export function engineStore(config, database, cache) {
    if (config.cache === undefined)
        return database;
    if (cache === undefined)
        throw new Error('a session cache is configured but none was opened for it');
    const options = { cache, keys: config.cache, timeoutMs: config.dbTimeoutMs };
    if (config.sessionEngine === 'cache')
        return createCacheStore({ ...options, users: database });
    // Half the request's deadline for the cache, so that the database still has time to answer a miss.
    return cacheFirst({ ...options, db: database, timeoutMs: config.dbTimeoutMs / 2 });
}
/** The lookups, uncached: the primary's, or the replica's with the primary deciding what lag could explain. */
export function lookupsFor(config, primary, { replica, onAnswer, cache } = {}) {
    const on = (store) => createAuthenticate({ store: engineStore(config, store, cache), settings: config.django, engine: config.sessionEngine });
    return replica
        ? routeReads({ replica: on(replica.store), primary: on(primary), replicaTimeoutMs: replica.timeoutMs, useReplica: replica.usable, onAnswer })
        : on(primary);
}
/** The lookups behind the decision cache, when its TTL is set. */
export function withDecisionCache(config, authenticate) {
    if (config.sessionCacheTtlMs === 0)
        return authenticate;
    return cacheDecisions(authenticate, { ttlMs: config.sessionCacheTtlMs, max: config.sessionCacheMax });
}
//# sourceMappingURL=lookups.js.map