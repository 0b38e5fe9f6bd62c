import { execFileSync } from 'node:child_process';
import { chown, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './listen.ts';
import { findProgram } from './packaged-suite.ts';
import { groupGone, spawnGroup, tempDir, type Spawned } from './spawned.ts';

export type PoolMode = 'transaction' | 'session';
export const POOL_MODES: readonly PoolMode[] = ['transaction', 'session'];

export interface PgBouncer {
  port: number;
  poolMode: PoolMode;
  /** The same database URL, through PgBouncer. */
  via(databaseUrl: string): string;
  /** PgBouncer's log so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

// PgBouncer refuses to run as root; `nobody` exists on any Debian, with or without a postgres user.
const RUN_AS = 'nobody';

function ids(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(500, () => done(false));
  });
}

async function listening(port: number, spawned: Spawned, logfile: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void spawned.exited.then(() => (gone = true));
  while (!(await accepts(port))) {
    if (gone || Date.now() > deadline) {
      const log = await readFile(logfile, 'utf8').catch(() => '');
      throw new Error(`PgBouncer did not listen on 127.0.0.1:${port}:\n${spawned.output()}${log}`);
    }
    await sleep(50);
  }
}

/**
 * Debian's PgBouncer in front of the PostgreSQL of `upstreamUrl`, on a free loopback port, with its default
 * settings except where it listens, its auth file (the upstream's user and password), the pool mode, and its
 * log, pid file and Unix socket in a temporary directory. Every database name is passed through.
 */
export async function startPgBouncer(upstreamUrl: string, poolMode: PoolMode): Promise<PgBouncer> {
  const program = findProgram('pgbouncer');
  if (program === undefined) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const upstream = new URL(upstreamUrl);
  const port = await freePort();
  const dir = await tempDir('bridge-pgbouncer-');
  const file = (name: string) => join(dir, name);
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  await writeFile(file('userlist.txt'), `${quote(decodeURIComponent(upstream.username))} ${quote(decodeURIComponent(upstream.password))}\n`, { mode: 0o600 });
  await writeFile(
    file('pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      `auth_file = ${file('userlist.txt')}`,
      `pool_mode = ${poolMode}`,
      `logfile = ${file('pgbouncer.log')}`,
      `pidfile = ${file('pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  const root = process.getuid?.() === 0;
  if (root) {
    const { uid, gid } = ids(RUN_AS);
    for (const path of [dir, file('userlist.txt'), file('pgbouncer.ini')]) await chown(path, uid, gid);
  }
  const spawned = spawnGroup(program, [...(root ? ['-u', RUN_AS] : []), file('pgbouncer.ini')], { PATH: process.env.PATH ?? '' });
  try {
    await listening(port, spawned, file('pgbouncer.log'));
  } catch (error) {
    spawned.kill('SIGKILL', 'group');
    throw error;
  }
  return {
    port,
    poolMode,
    via(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    log: () => readFile(file('pgbouncer.log'), 'utf8'),
    async stop() {
      // SIGTERM: immediate shutdown (SIGINT would wait for every client to leave).
      spawned.kill('SIGTERM', 'group');
      await spawned.exited;
      if (!(await groupGone(spawned, 10_000))) throw new Error('PgBouncer outlived its stop');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
