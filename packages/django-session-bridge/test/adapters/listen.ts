import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from './contract.ts';

/** A node:http server of an app, once it listens on a free loopback port. */
export async function listening(server: Server): Promise<RunningApp> {
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
      server.listen(0, '127.0.0.1');
    });
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
