// The whole arrangement users run, started for one test file: PostgreSQL (or a database the caller brings)
// with Django's tables, the reference Django site under gunicorn, this service as a child process for each
// nginx variant, and nginx in front, all on free loopback ports. stop() takes it all down again, also after a failed start.
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

/** Django's database for one stack, already holding Django's tables. */
export interface SiteDatabase {
  /** What Django connects with: it writes the users and sessions. */
  url: string;
  /** What the service connects with (a read-only user); `url` when unset. */
  serviceUrl?: string;
}

/** A stack on a database its caller owns (startStackOn). */
export interface Site<V extends Variant = Variant> {
  /** nginx's address for each variant of the shipped config that was started, e.g. http://127.0.0.1:41234. */
  sites: Record<V, string>;
  password: string;
  stop(): Promise<void>;
}

export interface Stack extends Site {
  /** Django's database, for what Django's admin would write and to look at session rows. */
  db: pg.Pool;
}

/** What startStackOn starts beyond its defaults. */
export interface StackOptions<V extends Variant> {
  /** The nginx variants, each with a service of its own: both by default. */
  variants?: readonly V[];
  /** Variables only the service is given (DATABASE_WRITE_URL, DJANGO_LOGIN_URL...). */
  serviceEnv?: Record<string, string>;
  /** Users besides USERS, with the same password: more active ones, and superusers (Django's admin lets them in). */
  users?: { active?: readonly string[]; staff?: readonly string[] };
}

interface Django {
  settings: { databaseUrl: string; secretKey: string; djangoVersion: string; env: Record<string, string> };
  gunicorn: string;
}

/**
 * What every stack starts from: Django's users on `database` and gunicorn on it, then `serve` for the rest
 * (whose own starts are stopped too if it throws). stop() takes the processes down.
 */
async function startWithDjango<T>(
  name: string,
  database: SiteDatabase,
  serve: (django: Django, supervisor: Supervisor) => Promise<T>,
  env: Record<string, string> = {},
  users: StackOptions<Variant>['users'] = {},
): Promise<T & { password: string; stop(): Promise<void> }> {
  const supervisor = new Supervisor(`${LOGS}${name}`);
  const stop = () => supervisor.stopAll();
  try {
    const secretKey = randomBytes(32).toString('hex');
    const password = randomBytes(12).toString('base64url');
    const site = { databaseUrl: database.url, secretKey, env };
    await createUsers(site, { active: [...USERS.active, ...(users.active ?? [])], inactive: [...USERS.inactive], staff: [...(users.staff ?? [])], password });
    const gunicorn = await startGunicorn(supervisor, site);
    const settings = { ...site, databaseUrl: database.serviceUrl ?? database.url, djangoVersion: installedDjangoVersion() };
    return { ...(await serve({ settings, gunicorn }, supervisor)), password, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `start` on a fresh PostgreSQL database with Django's tables (as `npm test` makes them), dropped after its stop(). */
async function onPostgres<T extends { stop(): Promise<void> }>(start: (database: SiteDatabase) => Promise<T>): Promise<T & { db: pg.Pool }> {
  let database: TestDatabase | undefined;
  let db: pg.Pool | undefined;
  const drop = async () => {
    await db?.end();
    await database?.drop();
  };
  try {
    database = await createTestDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    const started = await start({ url: database.url });
    const stop = async () => {
      try {
        await started.stop();
      } finally {
        await drop();
      }
    };
    return { ...started, db, stop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/**
 * Django, the service for each variant and nginx in front, on a database the caller made and removes.
 * `env`: settings both Django and the service read by the same names (DJANGO_SESSION_ENGINE, DJANGO_CACHE_URL).
 */
export function startStackOn<V extends Variant = Variant>(
  name: string,
  database: SiteDatabase,
  env: Record<string, string> = {},
  { variants = VARIANTS as readonly V[], serviceEnv = {}, users }: StackOptions<V> = {},
): Promise<Site<V>> {
  return startWithDjango(name, database, async ({ settings, gunicorn }, supervisor) => {
    const service = { ...settings, env: { ...settings.env, ...serviceEnv } };
    const elixirs = await settled(variants.map((variant) => startNodeService(supervisor, `node-${variant}`, { ...service, basePath: BASE_PATHS[variant] })));
    const urls = await settled(
      variants.map((variant, i) => startNginx(supervisor, `nginx-${variant}`, variant, { django: gunicorn, elixir: elixirs[i] as string }, '/elixir/healthz')),
    );
    return { sites: Object.fromEntries(variants.map((variant, i) => [variant, urls[i] as string])) as Record<V, string> };
  }, env, users);
}

/** startStackOn a fresh PostgreSQL database. */
export function startStack(name: string, env: Record<string, string> = {}): Promise<Stack> {
  return onPostgres((database) => startStackOn(name, database, env));
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
  return onPostgres((database) => startWithDjango(name, database, async ({ settings, gunicorn }, supervisor) => {
    const names = Array.from({ length: count }, (_, i) => `node-${i + 1}`);
    const addresses = await settled(names.map((instance) => startNodeService(supervisor, instance, { ...settings, basePath: '/elixir' })));
    const site = await startNginx(supervisor, 'nginx', 'prefixed', { django: gunicorn, elixir: addresses }, '/elixir/healthz');
    const instances = names.map((instance) => supervisor.services.find((service) => service.name === instance) as Service);
    return { site, instances, addresses, errorLog: join(supervisor.logDir, 'nginx', 'error.log') };
  }));
}
