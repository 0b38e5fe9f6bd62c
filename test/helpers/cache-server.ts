import { connect } from 'node:net';
import { groupGone, spawnGroup, type Spawned } from './spawned.ts';
import { freePort } from './listen.ts';

/** A private Redis or memcached on a free loopback port, in its own process group. */
export interface CacheServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM to its group) and waits until it has gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers (a wedged host); thaw() resumes it. */
  freeze(): void;
  thaw(): void;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function listening(server: Spawned, port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (!server.groupAlive() || Date.now() > deadline) throw new Error(`server on port ${port} did not start:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startCacheServer(scheme: string, command: string, args: (port: number) => string[]): Promise<CacheServer> {
  const port = await freePort();
  let server: Spawned;
  const launch = async () => {
    server = spawnGroup(command, args(port), { PATH: process.env.PATH ?? '' });
    await listening(server, port);
  };
  const stop = async () => {
    server.kill('SIGCONT', 'group');
    server.kill('SIGTERM', 'group');
    if (!(await groupGone(server, 5000))) {
      server.kill('SIGKILL', 'group');
      await groupGone(server, 5000);
    }
  };
  await launch();
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    stop,
    restart: launch,
    freeze: () => server.kill('SIGSTOP', 'group'),
    thaw: () => server.kill('SIGCONT', 'group'),
  };
}
