// The whole arrangement users run, started for one test file: PostgreSQL with Django's tables, the reference
// Django site under gunicorn, this service as a child process for each nginx variant, and nginx in front,
// all on free loopback ports. stop() takes it all down again, also after a failed start.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createUsers, installedDjangoVersion, startGunicorn } from './lib/django-site.ts';
import { startNginx, type Variant } from './lib/nginx.ts';
import { startNodeService } from './lib/node-service.ts';
import { Supervisor } from './lib/processes.ts';

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

/** `env`: settings both Django and the service read by the same names (DJANGO_SESSION_ENGINE, DJANGO_CACHE_URL). */
export async function startStack(name: string, env: Record<string, string> = {}): Promise<Stack> {
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
    const djangoVersion = installedDjangoVersion();
    const django = { databaseUrl: database.url, secretKey, env };
    await createUsers(django, { active: [...USERS.active], inactive: [...USERS.inactive], password });
    const [gunicorn, ...elixirs] = await settled([
      startGunicorn(supervisor, django),
      ...VARIANTS.map((variant) => startNodeService(supervisor, `node-${variant}`, { ...django, djangoVersion, basePath: BASE_PATHS[variant], env })),
    ]);
    const urls = await settled(
      VARIANTS.map((variant, i) => startNginx(supervisor, `nginx-${variant}`, variant, { django: gunicorn as string, elixir: elixirs[i] as string }, '/elixir/healthz')),
    );
    const sites = Object.fromEntries(VARIANTS.map((variant, i) => [variant, urls[i] as string])) as Record<Variant, string>;
    return { sites, db, password, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
