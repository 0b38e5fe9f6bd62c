// The SessionStore seam and everything around it that needs no driver: a driver's own pieces have their
// own entry points (django-session-bridge/postgresql, /mysql, /sqlite, /redis, /memcached).
export * from "./authenticate.js";
export * from "./cache-first-store.js";
export * from "./cache-store.js";
export * from "./cache.js";
export * from "./mariadb-permissions-store.js";
export * from "./mariadb-store.js";
export * from "./naive-expiry.js";
export * from "./permission-query.js";
export * from "./probe.js";
export * from "./read-routing.js";
export * from "./replica-permissions.js";
export * from "./session-cache.js";
export * from "./sql-permissions-store.js";
export * from "./sql-store.js";
export * from "./sqlite-permissions-store.js";
export * from "./sqlite-store.js";
export * from "./store.js";
export * from "./tables.js";
export * from "./user-row.js";
export * from "../databases/open.js";
export * from "../databases/url.js";
export { databasePermissions, databaseStore, engineStore, lookupsFor, openSessionCache, sessionCacheOptions, withDecisionCache } from "../auth/lookups.js";
//# sourceMappingURL=index.js.map