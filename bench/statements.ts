// `npm run bench:statements`: what the sql store's switch from named prepared statements to unnamed ones
// (which PgBouncer in transaction mode requires) costs on a direct connection. The store's two primary-key
// lookups, on a pg pool of 10 like the service's, 32 in flight, alternating named (A) and unnamed (B) rounds in
// one run, the order swapped every round. Measured per pair of lookups: throughput, this process's CPU and the
// CPU of the PostgreSQL backends serving the pool.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/dev/embedded-postgres.ts';
import { createBenchDatabase } from './database.ts';
import { treeCpuMs } from './processes.ts';
import { median } from './stats.ts';

const SECRET_KEY = 'bench-secret-key-not-for-production-0123456789abcdefghij';
const POOL = 10;
const SESSION_SQL = 'SELECT "session_data", "expire_date" FROM "django_session" WHERE "session_key" = $1';
const USER_SQL =
  'SELECT "id", "password", "is_active", "username", "first_name", "last_name", "email", "is_staff", "is_superuser" FROM "auth_user" WHERE "id" = $1';

type Mode = 'named' | 'unnamed';

interface Round {
  mode: Mode;
  pairsPerSecond: number;
  clientUs: number;
  serverUs: number;
}

const { values } = parseArgs({
  options: {
    'admin-url': { type: 'string' },
    rounds: { type: 'string', default: '10' },
    duration: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    quick: { type: 'boolean', default: false },
  },
});
const rounds = values.quick ? 2 : Number(values.rounds);
const durationMs = (values.quick ? 0.5 : Number(values.duration)) * 1000;
const concurrency = Number(values.concurrency);

function query(mode: Mode, name: string, text: string, value: string): pg.QueryConfig {
  return mode === 'named' ? { name, text, values: [value] } : { text, values: [value] };
}

async function backendPids(pool: pg.Pool): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: POOL }, () => pool.connect()));
  const pids = await Promise.all(clients.map(async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number));
  for (const client of clients) client.release();
  return pids;
}

async function round(pool: pg.Pool, pids: number[], mode: Mode, visitors: { key: string; userId: string }[]): Promise<Round> {
  const serverBefore = pids.reduce((sum, pid) => sum + treeCpuMs(pid), 0);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  let pairs = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() - started < durationMs; i += concurrency) {
        const visitor = visitors[i % visitors.length] as { key: string; userId: string };
        const session = await pool.query(query(mode, 'ab_session', SESSION_SQL, visitor.key));
        if (session.rowCount !== 1) throw new Error('session not found');
        const user = await pool.query(query(mode, 'ab_user', USER_SQL, visitor.userId));
        if (user.rowCount !== 1) throw new Error('user not found');
        pairs += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverMs = pids.reduce((sum, pid) => sum + treeCpuMs(pid), 0) - serverBefore;
  return { mode, pairsPerSecond: pairs / seconds, clientUs: (client.user + client.system) / pairs, serverUs: (serverMs * 1000) / pairs };
}

let embedded: EmbeddedServer | undefined;
let adminUrl = values['admin-url'];
if (adminUrl === undefined) {
  embedded = await startEmbeddedPostgres();
  adminUrl = embedded.adminUrl;
}
const database = await createBenchDatabase(adminUrl, SECRET_KEY, 32);
const pool = new pg.Pool({ connectionString: database.url, max: POOL, idleTimeoutMillis: 0 });
try {
  const rows = await pool.query<{ session_key: string; session_data: string }>('SELECT session_key, session_data FROM django_session');
  const users = await pool.query<{ id: number }>('SELECT id FROM auth_user ORDER BY id');
  const visitors = database.cookies['logged in'].map((key, i) => ({ key, userId: String(users.rows[i]?.id) }));
  if (rows.rowCount === 0 || visitors.length === 0) throw new Error('no sessions');
  const pids = await backendPids(pool);
  const results: Round[] = [];
  // One warm-up pair of rounds, not counted: the named statements get prepared on every connection there.
  for (let r = -1; r < rounds; r += 1) {
    const order: Mode[] = r % 2 === 0 ? ['named', 'unnamed'] : ['unnamed', 'named'];
    for (const mode of order) {
      const result = await round(pool, pids, mode, visitors);
      if (r >= 0) results.push(result);
      console.log(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`}  ${mode.padEnd(7)}  ${Math.round(result.pairsPerSecond)} pairs/s  client ${Math.round(result.clientUs)} µs  server ${Math.round(result.serverUs)} µs per pair`);
    }
  }
  const summary = (mode: Mode) => {
    const mine = results.filter((result) => result.mode === mode);
    return { rate: median(mine.map((m) => m.pairsPerSecond)), client: median(mine.map((m) => m.clientUs)), server: median(mine.map((m) => m.serverUs)) };
  };
  const [named, unnamed] = [summary('named'), summary('unnamed')];
  console.log(`\nmedians of ${rounds} rounds of ${durationMs / 1000} s each, ${concurrency} in flight on a pool of ${POOL}:`);
  for (const [mode, s] of [['named', named], ['unnamed', unnamed]] as const) {
    console.log(`  ${mode.padEnd(7)}  ${Math.round(s.rate)} pairs/s  client ${Math.round(s.client)} µs  server ${Math.round(s.server)} µs per pair`);
  }
  console.log(`  unnamed vs named: throughput ${((unnamed.rate / named.rate - 1) * 100).toFixed(1)}%, CPU per pair ${Math.round(unnamed.client + unnamed.server - named.client - named.server)} µs`);
} finally {
  await pool.end();
  await database.drop();
  await embedded?.destroy();
}
