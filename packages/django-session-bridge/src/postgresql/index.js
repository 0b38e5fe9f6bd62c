// PostgreSQL's pieces: they load `pg`.
export { createPool, createPostgresDatabase } from "../databases/postgresql.js";
export { reachesPostgresDirectly } from "../databases/direct-connection.js";
export { openReplica } from "../stores/replica.js";
export { watchReplica } from "../stores/replica-lag.js";
//# sourceMappingURL=index.js.map