import { createPool, createPostgresDatabase } from "../databases/postgresql.js";
import { watchReplica } from "./replica-lag.js";
/** A third of the deadline, so that after a replica that never answers the primary still has two. */
function replicaTimeoutMs(dbTimeoutMs) {
    return Math.floor(dbTimeoutMs / 3);
}
/**
 * The replica's pool (created like the primary's) and its lag watch;
 * The watch polls on a connection of its own: on the pages' pool, a poll queued behind a busy moment's
 * lookups would time out and rule a healthy replica out, sending all reads to the primary when it is busiest.
 */
export function openReplica({ url, maxLagMs, dbTimeoutMs, poolMax, onIdleError, onChange }) {
    const timeoutMs = replicaTimeoutMs(dbTimeoutMs);
    const db = createPostgresDatabase({ url, poolMax, timeoutMs, onIdleError });
    const lagPool = createPool({ url, poolMax: 1, timeoutMs, onIdleError });
    const watch = watchReplica(lagPool, { maxLagMs, onChange });
    return {
        db,
        timeoutMs,
        maxLagMs,
        state: watch.state,
        usable: () => watch.usable(),
        async close() {
            watch.stop();
            await Promise.all([db.close(), lagPool.end()]);
        },
    };
}
//# sourceMappingURL=replica.js.map