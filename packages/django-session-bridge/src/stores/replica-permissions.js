import { withinDeadline } from "../deadline.js";
/**
 * Permission rows read where the session was: from the replica while it is usable, from the primary when it
 * fails or runs out of its share of the deadline. A replica outage costs latency, never a 503; a grant or a
 * revocation shows once the replica has replayed it, the same staleness bound as a log-out.
 */
export function permissionsFromReplica(primary, fromReplica, replica) {
    return async function loadPermissions(userId, scope) {
        if (replica.usable()) {
            try {
                return await withinDeadline(fromReplica(userId, scope), replica.timeoutMs);
            }
            catch {
                // The primary answers instead, as for the session lookups.
            }
        }
        return primary(userId, scope);
    };
}
//# sourceMappingURL=replica-permissions.js.map