import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP relay in front of PostgreSQL that a test turns off (every connection cut, new ones refused) and on. */
export interface DatabaseSwitch {
  /** The database URL through the relay. */
  url: string;
  off(): Promise<void>;
  on(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a relay to the database of `databaseUrl` on a free loopback port. */
export async function databaseSwitch(databaseUrl: string): Promise<DatabaseSwitch> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () => new Promise<void>((resolve, reject) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as AddressInfo).port;
      resolve();
    });
  });
  const off = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    if (!server) return resolve();
    server.close(() => resolve());
    server = undefined;
  });
  await listen();
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { url: url.toString(), off, on: listen, close: off };
}
