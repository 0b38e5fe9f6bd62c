import { spawnSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from './listen.ts';
import { executable } from './packaged-suite.ts';
import { groupGone, spawnGroup, tempDir, type Spawned } from './spawned.ts';

/** Debian's PostgreSQL 15 (package postgresql-15): the server and the tools a physical standby needs. */
export const PG15_BIN = '/usr/lib/postgresql/15/bin';

/** ['postgresql-15'] where its binaries are missing (they live off PATH, so missingPrograms() cannot see them). */
export function missingPostgres15(): string[] {
  return ['initdb', 'postgres', 'pg_basebackup'].every((program) => executable(join(PG15_BIN, program))) ? [] : ['postgresql-15'];
}

const asRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: then every server program runs as `postgres`, in a directory it can enter. */
function command(program: string, args: string[]): [string, string[]] {
  const path = join(PG15_BIN, program);
  return asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', path, ...args]] : [path, args];
}

function run(dir: string, program: string, args: string[]): void {
  const [cmd, argv] = command(program, args);
  const result = spawnSync(cmd, argv, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
}

export interface Server {
  port: number;
  /** postgresql:// URL of `database`, as the superuser (trust on loopback). */
  url(database: string): string;
  start(): Promise<void>;
  /** Fast shutdown (SIGINT), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

function server(dir: string, dataDir: string, port: number): Server {
  let running: Spawned | undefined;
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async start() {
      // No Unix socket: nothing outside this test can reach the server but over loopback TCP.
      const [cmd, argv] = command('postgres', [
        '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
        '-c', 'fsync=off', '-c', 'shared_buffers=16MB', '-c', 'max_connections=40',
      ]);
      running = spawnGroup(cmd, argv, { PATH: process.env.PATH ?? '', LANG: 'C' }, dir);
      await running.waitFor(/database system is ready to accept (read-only )?connections/, 20_000);
    },
    async stop() {
      const spawned = running;
      if (spawned === undefined) return;
      running = undefined;
      spawned.kill('SIGINT', 'process');
      if (!(await groupGone(spawned, 10_000))) {
        spawned.kill('SIGKILL', 'group');
        await groupGone(spawned, 5_000);
      }
    },
  };
}

/** A primary and its physical standby, streaming over loopback. */
export interface Replication {
  primary: Server;
  standby: Server;
  /** pg_wal_replay_pause() on the standby: it keeps receiving WAL but applies none of it. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Until the standby has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * initdb, a primary, `pg_basebackup -R -X stream` of it and the standby on it, with Debian's PostgreSQL 15;
 * data under os.tmpdir(), free loopback ports, both stopped and deleted by destroy().
 */
export async function startReplication(): Promise<Replication> {
  const dir = await tempDir('bridge-replication-');
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim()));
    chownSync(dir, uid as number, gid as number);
  }
  const primaryDir = join(dir, 'primary');
  const standbyDir = join(dir, 'standby');
  const primary = server(dir, primaryDir, await freePort());
  let standby: Server | undefined;
  try {
    run(dir, 'initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await primary.start();
    run(dir, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync']);
    standby = server(dir, standbyDir, await freePort());
    await standby.start();
  } catch (error) {
    await standby?.stop();
    await primary.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const replica = standby;
  return {
    primary,
    standby: replica,
    pauseReplay: () => query(replica.url('postgres'), 'SELECT pg_wal_replay_pause()').then(() => undefined),
    resumeReplay: () => query(replica.url('postgres'), 'SELECT pg_wal_replay_resume()').then(() => undefined),
    async caughtUp(timeoutMs = 10_000) {
      const [{ lsn } = { lsn: '' }] = await query<{ lsn: string }>(primary.url('postgres'), 'SELECT pg_current_wal_lsn()::text AS lsn');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await query<{ done: boolean }>(replica.url('postgres'), `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`);
        if (row?.done) return;
        if (Date.now() > deadline) throw new Error(`the standby did not replay up to ${lsn} within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    async destroy() {
      await replica.stop();
      await primary.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
