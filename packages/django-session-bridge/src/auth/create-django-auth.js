import { anonymous } from "../django/index.js";
import { resolveSettings } from "../config/options.js";
import { withinDeadline } from "../deadline.js";
import { openDatabase } from "../databases/open.js";
import { NO_SUCH_KEY } from "../stores/probe.js";
import { permissionsFromReplica } from "../stores/replica-permissions.js";
import { CacheUnavailableError } from "../stores/session-cache.js";
import { djangoTables } from "../stores/tables.js";
import { databasePermissions, databaseStore, engineStore, lookupsFor, openSessionCache, withDecisionCache } from "./lookups.js";
import { sessionCookieOf } from "./request-cookie.js";
import { DjangoAuthUnavailableError } from "./unavailable.js";
import { permissionsFor, publicUser, withPermissions } from "./user.js";
async function openDefault(config, options) {
    if (options.database)
        return { database: options.database, close: async () => { } };
    if (options.pool) {
        const { createPostgresDatabase } = await import("../databases/postgresql.js");
        return { database: createPostgresDatabase({ url: '', poolMax: 0, timeoutMs: config.dbTimeoutMs }, options.pool), close: async () => { } };
    }
    if (config.databaseUrl === undefined)
        return { database: undefined, close: async () => { } };
    const database = await openDatabase({ url: config.databaseUrl, poolMax: config.dbPoolMax, timeoutMs: config.dbTimeoutMs });
    return { database, close: () => database.close() };
}
async function open(config, options) {
    const closers = [];
    try {
        const { database, close } = await openDefault(config, options);
        closers.push(close);
        if (!database && !options.store)
            throw new Error('createDjangoAuth needs databaseUrl, pool, database or store');
        const cache = options.cache ?? (await openSessionCache(config));
        if (cache && !options.cache)
            closers.push(() => cache.close());
        let replica = options.replica;
        if (!replica && config.databaseReplicaUrl !== undefined) {
            const { openReplica } = await import("../stores/replica.js");
            const opened = openReplica({ url: config.databaseReplicaUrl, maxLagMs: config.databaseReplicaMaxLagMs, dbTimeoutMs: config.dbTimeoutMs, poolMax: config.dbPoolMax });
            closers.push(() => opened.close());
            replica = opened;
        }
        const tables = options.tables ?? djangoTables({ authUserModel: config.authUserModel, userTable: config.userTable });
        const store = options.store ?? databaseStore(config, database, tables);
        const ownPermissions = options.permissions ?? (database ? databasePermissions(database, tables) : undefined);
        if (!ownPermissions)
            throw new Error('createDjangoAuth needs a permissions loader with a store of its own and no database');
        const replicaReads = replica && {
            store: databaseStore(config, replica.db, tables),
            timeoutMs: replica.timeoutMs,
            usable: replica.usable,
        };
        const lookups = options.lookups ?? lookupsFor(config, store, { replica: replicaReads, cache, onAnswer: options.events?.onReadSource });
        const permissions = replica ? permissionsFromReplica(ownPermissions, databasePermissions(replica.db, tables), replica) : ownPermissions;
        return {
            lookups,
            decide: withDecisionCache(config, lookups),
            store: engineStore(config, store, cache),
            permissions,
            close: async () => void (await Promise.all(closers.map((closer) => closer()))),
        };
    }
    catch (error) {
        await Promise.allSettled(closers.map((closer) => closer()));
        throw error;
    }
}
function unavailable(error) {
    if (error instanceof DjangoAuthUnavailableError)
        return error;
    return new DjangoAuthUnavailableError(error, error instanceof CacheUnavailableError ? 'cache' : 'database');
}
/**
 * Django's request.user for any Node app: reads the session cookie, the session (database, cache or signed
 * cookie) and the user, and checks what django.contrib.auth.get_user() checks. Nothing is opened until the
 * first request that carries a cookie; nothing is ever written.
 *
 * @example
 * const auth = createDjangoAuth({ databaseUrl: process.env.DATABASE_URL, secretKey: process.env.DJANGO_SECRET_KEY });
 * const { loggedIn, user } = await auth.authenticate(request);
 */
export function createDjangoAuth(options) {
    return createDjangoAuthFromConfig(resolveSettings(options), options);
}
/** createDjangoAuth with settings already resolved (resolveSettings, djangoConfigFromEnv). */
export function createDjangoAuthFromConfig(config, options = {}) {
    const events = options.events ?? {};
    let opened;
    let closed = false;
    const ready = () => {
        if (closed)
            return Promise.reject(new Error('this DjangoAuth is closed'));
        opened ??= open(config, options).catch((error) => {
            opened = undefined;
            throw error;
        });
        return opened;
    };
    const report = (error) => {
        const failure = unavailable(error);
        events.onUnavailable?.(failure);
        throw failure;
    };
    return {
        config,
        async authenticate(input) {
            const sessionKey = sessionCookieOf(input, config.sessionCookieName);
            let verdict;
            if (sessionKey === undefined || sessionKey === '') {
                verdict = anonymous('no_cookie');
            }
            else {
                const { decide, permissions } = await ready().catch(report);
                verdict = await withinDeadline(decide(sessionKey), config.dbTimeoutMs).catch(report);
                events.onVerdict?.(verdict.reason);
                const user = verdict.user
                    ? withPermissions(publicUser(verdict.user), permissionsFor({ load: permissions, backends: config.django.authenticationBackends, timeoutMs: config.dbTimeoutMs, onUnavailable: events.onUnavailable })(verdict.user))
                    : null;
                return { loggedIn: verdict.loggedIn, reason: verdict.reason, user, session: verdict.session ?? null, sessionKey };
            }
            events.onVerdict?.(verdict.reason);
            return { loggedIn: false, reason: verdict.reason, user: null, session: null, sessionKey };
        },
        async ping() {
            const { lookups, store, permissions } = await ready().catch(report);
            await withinDeadline(Promise.all([lookups(NO_SUCH_KEY), store.findUser(0n), permissions(0n, 'own')]), config.dbTimeoutMs).catch(report);
        },
        async close() {
            closed = true;
            const current = opened;
            opened = undefined;
            if (current)
                await (await current.catch(() => undefined))?.close();
        },
    };
}
//# sourceMappingURL=create-django-auth.js.map