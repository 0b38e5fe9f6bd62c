import { firstInstantAtWallTime, parseNaiveDatetime } from "../django/index.js";
/**
 * Expiry as its naive text says it: a Date whose UTC fields are DATETIME's (the store wrapper for USE_TZ
 * reads them in the right zone). Text that is not a date is an expired session, never an endless one.
 */
export function naiveExpiry(text) {
    return (typeof text === 'string' ? parseNaiveDatetime(text) : null) ?? new Date(0);
}
/** The zone a naive expire_date is in: UTC with USE_TZ = True, TIME_ZONE without. */
export function naiveZone(config) {
    return config.useTz ? 'UTC' : config.timeZone;
}
/**
 * For a database whose expire_date is naive (MySQL's DATETIME, SQLite's text): the stores give its wall-clock
 * fields as a UTC Date; this reads them in Django's zone — UTC with USE_TZ = True, TIME_ZONE without — so the
 * caller's `expire_date > now` is decided at the instant Django decides it.
 */
export function readingNaiveExpiry(store, zone) {
    if (zone === 'UTC')
        return store;
    return {
        async findSession(sessionKey) {
            const row = await store.findSession(sessionKey);
            // A cache entry has no expire_date: the cache's own expiry decided it.
            return row && ('cached' in row ? row : { ...row, expireDate: firstInstantAtWallTime(row.expireDate, zone) });
        },
        findUser: (id) => store.findUser(id),
    };
}
//# sourceMappingURL=naive-expiry.js.map