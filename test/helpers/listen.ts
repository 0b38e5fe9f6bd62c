import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
export { freePort } from '../../src/dev/free-port.ts';

export interface Listening {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Serves a Koa app on a free loopback port, for tests that need real connections rather than supertest's. */
export async function listen(app: Koa): Promise<Listening> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

