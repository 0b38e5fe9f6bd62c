import type { Socket } from 'node:net';
import type pg from 'pg';

const answers = new WeakMap<pg.Pool, Promise<boolean>>();

function bare(address: string | undefined | null): string | undefined {
  return address?.replace(/^::ffff:/, '');
}

async function ask(pool: pg.Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ addr: string | null; port: number | null }>('SELECT host(inet_server_addr()) AS addr, inet_server_port() AS port');
    const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
    const server = rows[0];
    return server?.addr != null && bare(server.addr) === bare(socket.remoteAddress) && server.port === socket.remotePort;
  } finally {
    client.release();
  }
}

/**
 * Whether the pool's connections end at PostgreSQL itself, asked once per pool: the address and port the
 * server accepted the connection on are the ones our socket is connected to. Through PgBouncer (or any proxy,
 * a Unix socket, a mapped port) they differ, and a statement's server connection is not ours to keep state on.
 * A failed question is asked again next time.
 */
export function reachesPostgresDirectly(pool: pg.Pool): Promise<boolean> {
  let answer = answers.get(pool);
  if (answer === undefined) {
    answer = ask(pool);
    answers.set(pool, answer);
    answer.catch(() => answers.delete(pool));
  }
  return answer;
}
