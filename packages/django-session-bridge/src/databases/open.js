import { providerOf } from "./url.js";
// Each driver is an optional peer dependency, and the MySQL and SQLite ones load slower than the rest of the
// library together: only the one the URL names is loaded.
const OPEN = {
    postgresql: async (options) => (await import("./postgresql.js")).createPostgresDatabase(options),
    mysql: async (options) => (await import("./mariadb.js")).createMariaDbDatabase(options),
    sqlite: async (options) => (await import("./sqlite.js")).createSqliteDatabase(options),
};
/** Opens Django's database, read-only wherever the driver can make it so, with the driver its URL names. */
export async function openDatabase(options) {
    const provider = providerOf(options.url);
    if (provider === null)
        throw new Error('the database URL must be a postgresql://, mysql://, mariadb:// or file: URL');
    return OPEN[provider](options);
}
//# sourceMappingURL=open.js.map