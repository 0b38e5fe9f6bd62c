import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/dev/embedded-postgres.ts';
import { withClient } from '../src/dev/pg-client.ts';
import { createDjangoDatabase, databaseUrl } from '../test/helpers/database.ts';

export interface BenchReplica {
  url: string;
  destroy(): Promise<void>;
}

const NAME = 'bridge_bench_replica';

/**
 * A second embedded PostgreSQL holding the bench database's django_session and auth_user through logical
 * replication (a publication on the bench's server, a subscription here), for the `replica` variant. Not a
 * physical standby: embedded-postgres ships no pg_basebackup and cannot start a server in recovery.
 */
export async function startLogicalReplica(primary: EmbeddedServer, benchUrl: string): Promise<BenchReplica> {
  const level = await withClient(primary.adminUrl, (client) => client.query<{ wal_level: string }>('SHOW wal_level'));
  if (level.rows[0]?.wal_level !== 'logical') {
    await withClient(primary.adminUrl, (client) => client.query('ALTER SYSTEM SET wal_level = logical'));
    await primary.stop();
    await primary.start();
  }
  await withClient(benchUrl, (client) => client.query(`CREATE PUBLICATION ${NAME} FOR TABLE django_session, auth_user`));
  const server = await startEmbeddedPostgres();
  const name = new URL(benchUrl).pathname.slice(1);
  const url = databaseUrl(server.adminUrl, name);
  const source = new URL(benchUrl);
  try {
    await createDjangoDatabase(server.adminUrl, name);
    const conninfo = `host=127.0.0.1 port=${source.port} user=${source.username} password=${decodeURIComponent(source.password)} dbname=${name}`;
    await withClient(url, (client) => client.query(`CREATE SUBSCRIPTION ${NAME} CONNECTION '${conninfo}' PUBLICATION ${NAME}`));
    // The initial copy of both tables, then streaming: every relation in state 'r' (ready).
    const deadline = Date.now() + 60_000;
    for (let ready = false; !ready; await sleep(100)) {
      if (Date.now() > deadline) throw new Error('the replica did not finish copying the bench tables within 60 s');
      const { rows } = await withClient(url, (client) => client.query<{ ready: boolean }>("SELECT count(*) = 2 AND bool_and(srsubstate = 'r') AS ready FROM pg_subscription_rel"));
      ready = rows[0]?.ready === true;
    }
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return {
    url,
    async destroy() {
      // Drops the replication slot on the bench's server too, which would otherwise keep its database from being dropped.
      await withClient(url, (client) => client.query(`DROP SUBSCRIPTION ${NAME}`));
      await server.destroy();
    },
  };
}
