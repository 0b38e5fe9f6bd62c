// The demo's database: an embedded PostgreSQL kept in .data/, holding Django's real tables (the schema
// fixture the tests load, written by Django's own migrate) and the demo users. Nothing here ever connects
// to DATABASE_URL: with DATABASE_URL set, the demo does not run at all.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { addDemoUsers } from './demo-users.ts';
import { addDemoPermissions } from './demo-permissions.ts';
import { postgresDir, writeDemoState, type DemoState } from './demo-state.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { reachableDataDir } from './root-postgres.ts';
import { isAlive, runningPostmaster, stopPostmaster } from './postmaster.ts';
import { withClient } from './pg-client.ts';

const SCHEMA_FIXTURE = new URL('../../test/fixtures/django-3.2-schema.sql', import.meta.url);
const DATABASE = 'django_demo';

export interface DemoDatabase {
  /** postgresql:// URL of the demo's Django database (superuser on the embedded server). */
  url: string;
  /** False when another demo process (`npm run dev` or `npm run studio`) already runs the server. */
  startedHere: boolean;
  /** Where the server's files are: inside dataDir, or where the postgres user can reach them. */
  serverDir: string;
  /** Stops the embedded server if this process started it. */
  close(): Promise<void>;
}

export interface DemoDatabaseOptions {
  dataDir: string;
  /** The directory's demo.json, from loadDemoState(). */
  state: DemoState;
  /** PBKDF2 iterations for the demo users' password hashes (see pbkdf2Iterations). */
  passwordIterations: number;
}

interface Server {
  port: number;
  startedHere: boolean;
  stop(): Promise<void>;
}

function serverUrl(state: DemoState, port: number, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${port}/${database}`;
}

/**
 * The server's directory. When it lives outside dataDir, a demo.json that does not name it is a fresh one (the
 * data directory was deleted to start over): the files there belong to the lost password, and go too.
 */
async function serverDirFor(dataDir: string, state: DemoState): Promise<string> {
  const inside = postgresDir(dataDir);
  const reachable = await reachableDataDir(inside);
  if (reachable !== inside && state.serverDir !== reachable) {
    const stale = runningPostmaster(reachable);
    if (stale) await stopPostmaster(stale.pid);
    await rm(reachable, { recursive: true, force: true });
    state.serverDir = reachable;
    writeDemoState(dataDir, state);
  }
  return reachable;
}

async function startOrJoin(dataDir: string, pgDir: string, state: DemoState): Promise<Server> {
  const running = runningPostmaster(pgDir);
  const owner = state.ownerPid;
  if (running && owner !== undefined && owner !== process.pid && isAlive(owner)) {
    return { port: running.port, startedHere: false, stop: async () => {} };
  }
  // A server whose demo process was killed outright (SIGKILL) is still running: stop it and start afresh.
  if (running) await stopPostmaster(running.pid);
  const server = await startEmbeddedPostgres({ dataDir: pgDir, password: state.password });
  writeDemoState(dataDir, { ...state, ownerPid: process.pid });
  return { port: server.port, startedHere: true, stop: () => server.stop() };
}

async function prepare(state: DemoState, port: number, passwordIterations: number): Promise<void> {
  await withClient(serverUrl(state, port, 'postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  });
  await withClient(serverUrl(state, port, DATABASE), async (client) => {
    const table = await client.query<{ oid: string | null }>("SELECT to_regclass('public.django_session') AS oid");
    // One simple-protocol query: the whole schema is created in one implicit transaction, or not at all.
    if (table.rows[0]?.oid == null) await client.query(readFileSync(SCHEMA_FIXTURE, 'utf8'));
    await addDemoUsers(client, passwordIterations);
    await addDemoPermissions(client);
  });
}

/**
 * Starts the demo's embedded PostgreSQL on dataDir (or joins the one another demo process runs there), with
 * Django's tables and the demo users in its `django_demo` database. Safe to call on an existing directory.
 */
export async function openDemoDatabase({ dataDir, state, passwordIterations }: DemoDatabaseOptions): Promise<DemoDatabase> {
  // As root in a directory the postgres user cannot enter, the server's files live where it can.
  const serverDir = await serverDirFor(dataDir, state);
  const server = await startOrJoin(dataDir, serverDir, state);
  try {
    await prepare(state, server.port, passwordIterations);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: serverUrl(state, server.port, DATABASE),
    startedHere: server.startedHere,
    serverDir,
    close: () => server.stop(),
  };
}
