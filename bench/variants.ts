import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { delimiter, join } from 'node:path';

/** A server under test: how to start it on a port. Every variant serves the page at /elixir/. */
export interface Variant {
  name: string;
  description: string;
  command: string;
  args(port: number): string[];
  env(port: number): Record<string, string>;
}

export interface DjangoInstall {
  gunicorn: string;
  python: string;
  djangoVersion: string;
  gunicornVersion: string;
}

export interface DjangoServing {
  workers: number;
  threads: number;
}

export interface VariantContext {
  /** Run the service from src/ through tsx rather than from dist/. */
  source: boolean;
  databaseUrl: string;
  /** A replica of databaseUrl's tables, for the replica variant (left out without one). */
  replicaUrl: string | undefined;
  secretKey: string;
  cacheTtlMs: number;
  django: (DjangoInstall & DjangoServing) | undefined;
  /** The bench database through PgBouncer (transaction mode), when pgbouncer is installed. */
  pgbouncerUrl?: string | undefined;
  /** A Redis holding the sessions too (bench/redis.ts); the cache variants are left out without one. */
  redisUrl: string | undefined;
  /** The bench rows on a throwaway MariaDB (bench/copies.ts); its variants are left out without one. */
  mariadbUrl?: string | undefined;
  /** The bench rows in a SQLite file (bench/copies.ts); its variants are left out without one. */
  sqliteUrl?: string | undefined;
}

export const FLOOR = 'floor';
export const DJANGO = 'django';
export const PGBOUNCER = 'pgbouncer';
export const REPLICA = 'replica';
export const MARIADB = 'mariadb';
export const MARIADB_FLOOR = 'mariadb-floor';
export const SQLITE = 'sqlite';
export const SQLITE_FLOOR = 'sqlite-floor';
/** The library inside each framework's minimal app (bench/library/<name>.ts), uncached and with the decision cache. */
export const LIBRARY_VARIANTS = ['node', 'express', 'fastify', 'hono', 'koa-lib'] as const;

/**
 * The floor a variant's ratio is taken against: the one on its own database, so that a ratio says what the
 * service adds, not how fast one database is next to another. A floor is its own (1.00×).
 */
export function floorOf(variant: string): string {
  if (variant === MARIADB || variant === MARIADB_FLOOR) return MARIADB_FLOOR;
  if (variant === SQLITE || variant === SQLITE_FLOOR) return SQLITE_FLOOR;
  return FLOOR;
}

/** The variants to start: the named ones, or all of them when none is named. */
export function wanted(chosen: string[], name: string): boolean {
  return chosen.length === 0 || chosen.includes(name);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * Debian's gunicorn with the Django and psycopg2 its own Python imports (python3-django, python3-psycopg2,
 * gunicorn packages); undefined when any of them is missing, and the Django variant is left out.
 */
export function findDjango(): DjangoInstall | undefined {
  const gunicorn = onPath('gunicorn');
  if (gunicorn === undefined) return undefined;
  const shebang = readFileSync(gunicorn, 'utf8').split('\n', 1)[0] ?? '';
  const interpreter = shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/) : [];
  const python = interpreter[0]?.endsWith('/env') ? onPath(interpreter[1] ?? '') : interpreter[0];
  if (python === undefined) return undefined;
  const probe = spawnSync(python, ['-c', 'import django, gunicorn, psycopg2; print(django.get_version(), gunicorn.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const [djangoVersion = '?', gunicornVersion = '?'] = probe.stdout.trim().split(' ');
  return { gunicorn, python, djangoVersion, gunicornVersion };
}

/** gunicorn's documented starting point: (2 × cores) + 1 workers. */
export function defaultDjangoWorkers(): number {
  return 2 * cpus().length + 1;
}

export function describeDjango(django: DjangoInstall & DjangoServing): string {
  return `Django ${django.djangoVersion}, gunicorn ${django.gunicornVersion} (${django.workers} gthread workers × ${django.threads} threads)`;
}

export function variants({ source, databaseUrl, replicaUrl, secretKey, cacheTtlMs, django, pgbouncerUrl, redisUrl, mariadbUrl, sqliteUrl }: VariantContext): Variant[] {
  const node = process.execPath;
  const viaTsx = (file: string) => ['--import', 'tsx', file];
  // BENCH_CPU_PROF=<dir>: the floor, the service and each library variant write a V8 CPU profile there when stopped.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const serviceArgs = [...profile, ...(source ? viaTsx('src/server.ts') : ['dist/server.js'])];
  const service = (port: number, extra: Record<string, string>) => ({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DJANGO_SECRET_KEY: secretKey,
    DJANGO_VERSION: django?.djangoVersion.replace(/^(\d+\.\d+).*/, '$1') ?? '3.2',
    HOST: '127.0.0.1',
    PORT: String(port),
    DB_POOL_MAX: '10',
    SESSION_STORE: 'sql',
    SESSION_CACHE_TTL_MS: '0',
    WEB_CONCURRENCY: '1',
    ...extra,
  });
  const all: Variant[] = [
    {
      name: FLOOR,
      description: 'node:http + pg pool of 10, the same two lookups, no checks',
      command: node,
      args: () => [...profile, ...viaTsx('bench/floor.ts')],
      env: (port) => ({ DATABASE_URL: databaseUrl, PORT: String(port) }),
    },
    {
      name: 'sql',
      description: 'the service, SESSION_STORE=sql (pg named statements on this direct connection)',
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, {}),
    },
    {
      name: 'prisma',
      description: 'the service, SESSION_STORE=prisma (Prisma Client findUnique)',
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, { SESSION_STORE: 'prisma' }),
    },
    {
      name: 'sql+cache',
      description: `the service, sql store, SESSION_CACHE_TTL_MS=${cacheTtlMs}`,
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, { SESSION_CACHE_TTL_MS: String(cacheTtlMs) }),
    },
    {
      name: 'sql×2',
      description: 'the service, sql store, WEB_CONCURRENCY=2',
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, { WEB_CONCURRENCY: '2' }),
    },
    {
      name: 'no-db',
      description: 'the service\'s Koa app with the lookups answered from memory',
      command: node,
      args: () => viaTsx('bench/nodb-server.ts'),
      env: (port) => ({ ...service(port, {}), BENCH_SOURCE: source ? '1' : '0' }),
    },
  ];
  for (const framework of LIBRARY_VARIANTS) {
    const library = (port: number, ttlMs: number) => ({
      DATABASE_URL: databaseUrl,
      DJANGO_SECRET_KEY: secretKey,
      DJANGO_VERSION: service(port, {}).DJANGO_VERSION,
      DB_POOL_MAX: '10',
      SESSION_CACHE_TTL_MS: String(ttlMs),
      NODE_ENV: 'production',
      PORT: String(port),
      // Without --source the package resolves through node_modules to its build (dist/), as an app's would.
      ...(source ? {} : { TSX_TSCONFIG_PATH: 'bench/library/tsconfig.json' }),
    });
    all.push(
      { name: framework, description: `bench/library/${framework}.ts: the package in ${framework}'s minimal app`, command: node, args: () => [...profile, ...viaTsx(`bench/library/${framework}.ts`)], env: (port) => library(port, 0) },
      {
        name: `${framework}+cache`,
        description: `bench/library/${framework}.ts with SESSION_CACHE_TTL_MS=${cacheTtlMs}`,
        command: node,
        args: () => [...profile, ...viaTsx(`bench/library/${framework}.ts`)],
        env: (port) => library(port, cacheTtlMs),
      },
    );
  }
  if (pgbouncerUrl) {
    all.push({
      name: PGBOUNCER,
      description: 'the service, sql store, through PgBouncer (pool_mode = transaction, default settings)',
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, { DATABASE_URL: pgbouncerUrl }),
    });
  }
  if (redisUrl) {
    // cached_db's A/B (reading Redis first or django_session alone) is bench/cached-db-ab.ts.
    all.push({
      name: 'redis',
      description: 'the service, DJANGO_SESSION_ENGINE=cache: the session from Redis (GET), the user from PostgreSQL',
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, { DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: redisUrl }),
    });
  }
  if (replicaUrl) {
    all.push({
      name: REPLICA,
      description: 'the service, sql store, DATABASE_REPLICA_URL: a second PostgreSQL fed by logical replication',
      command: node,
      args: () => serviceArgs,
      env: (port) => service(port, { DATABASE_REPLICA_URL: replicaUrl }),
    });
  }
  // A floor on another of Django's databases, and the service on the same one.
  const onDatabase = (url: string, floor: { name: string; file: string; description: string }, serviceVariant: { name: string; description: string }) =>
    all.push(
      { name: floor.name, description: floor.description, command: node, args: () => viaTsx(floor.file), env: (port) => ({ DATABASE_URL: url, PORT: String(port) }) },
      { ...serviceVariant, command: node, args: () => serviceArgs, env: (port) => service(port, { DATABASE_URL: url }) },
    );
  if (mariadbUrl) {
    onDatabase(
      mariadbUrl,
      { name: MARIADB_FLOOR, file: 'bench/floor-mariadb.ts', description: 'bench/floor-mariadb.ts: the floor on MariaDB, mariadb driver pool of 10, prepared statements' },
      { name: MARIADB, description: 'the service on MariaDB, SESSION_STORE=sql (the mariadb store: prepared statements)' },
    );
  }
  if (sqliteUrl) {
    onDatabase(
      sqliteUrl,
      { name: SQLITE_FLOOR, file: 'bench/floor-sqlite.ts', description: 'bench/floor-sqlite.ts: the floor on SQLite, better-sqlite3 read-only, statements prepared once' },
      { name: SQLITE, description: 'the service on SQLite, SESSION_STORE=sql (the sqlite store: better-sqlite3 read-only)' },
    );
  }
  if (django) {
    all.push({
      name: DJANGO,
      description: `${describeDjango(django)}, CONN_MAX_AGE=None`,
      command: django.gunicorn,
      // gthread workers keep connections alive like the Node servers do; sync workers close every connection,
      // which autocannon cannot drive (it writes the next request into the closing socket).
      args: (port) => [
        '--chdir', 'bench/django', '--bind', `127.0.0.1:${port}`,
        '--worker-class', 'gthread', '--workers', String(django.workers), '--threads', String(django.threads),
        '--log-level', 'warning', 'benchsite.wsgi:application',
      ],
      env: () => ({ DATABASE_URL: databaseUrl, DJANGO_SECRET_KEY: secretKey, DJANGO_SETTINGS_MODULE: 'benchsite.settings' }),
    });
  }
  return all;
}
