// PostgreSQL's pieces: they load `pg`.
export { createPool, createPostgresDatabase } from '../databases/postgresql.ts';
export type { DatabaseOptions, PostgresDatabase } from '../databases/postgresql.ts';
export { reachesPostgresDirectly } from '../databases/direct-connection.ts';
export { openReplica } from '../stores/replica.ts';
export type { Replica, ReplicaOptions } from '../stores/replica.ts';
export { watchReplica } from '../stores/replica-lag.ts';
