import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const FALLBACK_EPHEMERAL = { low: 32768, high: 60999 };
const ATTEMPTS = 50;
const handedOut = new Set<number>();

/** The kernel's range for ports it picks itself (outgoing connections, listen(0)). */
function ephemeralRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && high ? { low, high } : FALLBACK_EPHEMERAL;
  } catch {
    return FALLBACK_EPHEMERAL;
  }
}

/** Ports the kernel never hands to an outgoing connection: below its ephemeral range, or else above it. */
function candidates(): { from: number; to: number } {
  const { low, high } = ephemeralRange();
  return low - 1 >= 10_000 ? { from: 10_000, to: low - 1 } : { from: high + 1, to: 65_535 };
}

function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port nothing listens on right now, for a server or a child process to listen on a moment later.
 * Chosen outside the kernel's ephemeral range: a port from listen(0) is one the kernel may give the next
 * outgoing connection's local end before the server binds it (EADDRINUSE under load). Never the same port
 * twice in one process.
 */
export async function freePort(): Promise<number> {
  const { from, to } = candidates();
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await bindable(port)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free loopback port between ${from} and ${to} after ${ATTEMPTS} tries`);
}
