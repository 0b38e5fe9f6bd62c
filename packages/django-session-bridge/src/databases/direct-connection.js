const answers = new WeakMap();
function bare(address) {
    return address?.replace(/^::ffff:/, '');
}
async function ask(pool) {
    const client = await pool.connect();
    try {
        const { rows } = await client.query('SELECT host(inet_server_addr()) AS addr, inet_server_port() AS port');
        const socket = client.connection.stream;
        const server = rows[0];
        return server?.addr != null && bare(server.addr) === bare(socket.remoteAddress) && server.port === socket.remotePort;
    }
    finally {
        client.release();
    }
}
/**
 * Whether the pool's connections end at PostgreSQL itself, asked once per pool: the address and port the
 * server accepted the connection on are the ones our socket is connected to. Through PgBouncer (or any proxy,
 * a Unix socket, a mapped port) they differ, and a statement's server connection is not ours to keep state on.
 * A failed question is asked again next time.
 */
export function reachesPostgresDirectly(pool) {
    let answer = answers.get(pool);
    if (answer === undefined) {
        answer = ask(pool);
        answers.set(pool, answer);
        answer.catch(() => answers.delete(pool));
    }
    return answer;
}
//# sourceMappingURL=direct-connection.js.map