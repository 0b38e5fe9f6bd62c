import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from '../../src/dev/free-port.ts';

const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number];

describe('freePort', () => {
  it('answers ports outside the kernel ephemeral range, which outgoing connections never take', async () => {
    for (let i = 0; i < 20; i += 1) {
      const port = await freePort();
      assert.ok(port < low || port > high, `${port} is inside ${low}-${high}`);
      assert.ok(port >= 1024 && port <= 65_535);
    }
  });

  it('answers a port a server can listen on, and never the same one twice', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => freePort()));
    assert.equal(new Set(ports).size, ports.length);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
