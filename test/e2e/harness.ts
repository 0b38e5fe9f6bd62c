// The whole arrangement users run, started for one test file: PostgreSQL with Django's tables, the reference
// Django site under gunicorn, this service as a child process for each nginx variant, and nginx in front,
// all on free loopback ports. stop() takes it all down again, also after a failed start.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createUsers, installedDjangoVersion, startGunicorn } from './lib/django-site.ts';
import { startNginx, type Variant } from './lib/nginx.ts';
import { startNodeService } from './lib/node-service.ts';
import { Supervisor, type Service } from './lib/processes.ts';

const LOGS = fileURLToPath(new URL('../../test-artifacts/e2e/logs/', import.meta.url));

/** One active user per scenario that changes its user, so scenarios do not depend on each other's order. */
export const USERS = { active: ['alice', 'bob', 'carol'], inactive: ['ivan'] } as const;

const VARIANTS: readonly Variant[] = ['prefixed', 'stripped'];
const BASE_PATHS: Record<Variant, string> = { prefixed: '/elixir', stripped: '/' };

/** Promise.all that waits for every start, so stop() never races a process still being spawned. */
async function settled<T>(starts: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

export interface Stack {
  /** nginx's address for each variant of the shipped config, e.g. http://127.0.0.1:41234. */
  sites: Record<Variant, string>;
  /** Django's database, for what Django's admin would write and to look at session rows. */
  db: pg.Pool;
  password: string;
  stop(): Promise<void>;
}

interface Django {
  settings: { databaseUrl: string; secretKey: string; djangoVersion: string; env: Record<string, string> };
  gunicorn: string;
  db: pg.Pool;
  password: string;
}

/**
 * What every stack starts from: a fresh database with Django's users and gunicorn on it, then `serve` for
 * the rest (whose own starts are stopped too if it throws). stop() takes it all down.
 */
async function startWithDjango<T>(
  name: string,
  serve: (django: Django, supervisor: Supervisor) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T & { db: pg.Pool; password: string; stop(): Promise<void> }> {
  const supervisor = new Supervisor(`${LOGS}${name}`);
  let database: TestDatabase | undefined;
  let db: pg.Pool | undefined;
  const stop = async () => {
    try {
      await supervisor.stopAll();
    } finally {
      await db?.end();
      await database?.drop();
    }
  };
  try {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    const secretKey = randomBytes(32).toString('hex');
    const password = randomBytes(12).toString('base64url');
    const settings = { databaseUrl: database.url, secretKey, djangoVersion: installedDjangoVersion(), env };
    await createUsers(settings, { active: [...USERS.active], inactive: [...USERS.inactive], password });
    const gunicorn = await startGunicorn(supervisor, settings);
    return { ...(await serve({ settings, gunicorn, db, password }, supervisor)), db, password, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `env`: settings both Django and the service read by the same names (DJANGO_SESSION_ENGINE, DJANGO_CACHE_URL). */
export function startStack(name: string, env: Record<string, string> = {}): Promise<Stack> {
  return startWithDjango(name, async ({ settings, gunicorn }, supervisor) => {
    const elixirs = await settled(VARIANTS.map((variant) => startNodeService(supervisor, `node-${variant}`, { ...settings, basePath: BASE_PATHS[variant] })));
    const urls = await settled(
      VARIANTS.map((variant, i) => startNginx(supervisor, `nginx-${variant}`, variant, { django: gunicorn, elixir: elixirs[i] as string }, '/elixir/healthz')),
    );
    return { sites: Object.fromEntries(VARIANTS.map((variant, i) => [variant, urls[i] as string])) as Record<Variant, string> };
  }, env);
}

export interface InstancesStack {
  /** nginx's address, the shipped elixir.conf with every instance in its one upstream. */
  site: string;
  /** The instances' processes, in upstream order (a test kills one). */
  instances: Service[];
  /** Their host:port, in the same order. */
  addresses: string[];
  /** nginx's error log: where it says which instance it gave up on. */
  errorLog: string;
  db: pg.Pool;
  password: string;
  stop(): Promise<void>;
}

/** Django, `count` instances of the service (BASE_PATH=/elixir) and nginx round-robin over them. */
export function startInstances(name: string, count: number): Promise<InstancesStack> {
  return startWithDjango(name, async ({ settings, gunicorn }, supervisor) => {
    const names = Array.from({ length: count }, (_, i) => `node-${i + 1}`);
    const addresses = await settled(names.map((instance) => startNodeService(supervisor, instance, { ...settings, basePath: '/elixir' })));
    const site = await startNginx(supervisor, 'nginx', 'prefixed', { django: gunicorn, elixir: addresses }, '/elixir/healthz');
    const instances = names.map((instance) => supervisor.services.find((service) => service.name === instance) as Service);
    return { site, instances, addresses, errorLog: join(supervisor.logDir, 'nginx', 'error.log') };
  });
}
