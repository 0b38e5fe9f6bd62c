import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as mariadb from 'mariadb';
import { after, before } from 'node:test';
import { findProgram, missingPrograms, packagedSuite } from './packaged-suite.ts';
import { freePort } from './listen.ts';
import { groupGone, spawnGroup, tempDir, type Spawned } from './spawned.ts';

/** The Debian packages the MariaDB suites need: the server, and Django's MySQL driver for the Django-written fixtures. */
export function missingMariaDb(): string[] {
  return missingPrograms({ mariadbd: 'mariadb-server', 'mariadb-install-db': 'mariadb-server' });
}

export const MARIADB_SCHEMA = new URL('../fixtures/django-3.2-schema.mariadb.sql', import.meta.url);

/** The GRANTs the docs ship for a SELECT-only user. */
export const READ_ONLY_GRANTS = new URL('../../docs/read-only-mysql.sql', import.meta.url);

/** The GRANTs the docs ship for the write user (DATABASE_WRITE_URL). */
export const WRITE_GRANTS = new URL('../../docs/write-role-mysql.sql', import.meta.url);

/** A throwaway MariaDB: its own data directory under the temp dir, on a free loopback port, root without a password. */
export interface MariaDbServer {
  port: number;
  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database: string, user?: string, password?: string): string;
  admin: mariadb.Pool;
  /** A database with Django's tables as `migrate` made them (test/fixtures/django-3.2-schema.mariadb.sql). */
  createDjangoDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  process(): Spawned;
  close(): Promise<void>;
}

async function mysqlUid(): Promise<number[]> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((entry) => entry.startsWith('mysql:'));
  if (!line) throw new Error('no mysql user: is mariadb-server installed?');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

export async function startMariaDb(): Promise<MariaDbServer> {
  const dir = await tempDir('bridge-mariadb-');
  const data = join(dir, 'data');
  // Its own temporary directory: two bootstraps at once in a shared /tmp collide on their temporary tables.
  const tmp = join(dir, 'tmp');
  await mkdir(data);
  await mkdir(tmp);
  // mariadbd refuses to run as root: the data directory (socket and pid file inside) belongs to `mysql`.
  const [uid, gid] = await mysqlUid();
  if (process.getuid?.() === 0) {
    await chown(data, uid as number, gid as number);
    await chown(tmp, uid as number, gid as number);
  }
  const user = process.getuid?.() === 0 ? ['--user=mysql'] : [];
  const small = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=8M', '--skip-log-bin', `--tmpdir=${tmp}`];
  const install = spawnGroup(findProgram('mariadb-install-db') as string, ['--no-defaults', `--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db', ...small], process.env as Record<string, string>);
  const installed = await install.exited;
  if (installed.code !== 0) throw new Error(`mariadb-install-db failed:\n${install.output()}`);
  const port = await freePort();
  let server: Spawned | undefined;
  const start = async () => {
    server = spawnGroup(findProgram('mariadbd') as string, [
      '--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(data, 'mysqld.sock')}`,
      `--pid-file=${join(data, 'mysqld.pid')}`, ...user, ...small, '--performance-schema=ON',
    ], process.env as Record<string, string>);
    await server.waitFor(/ready for connections/, 30_000);
  };
  await start();
  const admin = mariadb.createPool({ host: '127.0.0.1', port, user: 'root', connectionLimit: 2, multipleStatements: true });
  const stop = async () => {
    server?.kill('SIGTERM', 'group');
    await server?.exited;
    if (server) await groupGone(server, 10_000);
  };
  return {
    port,
    url: (database, name = 'root', password = '') => `mysql://${name}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${database}`,
    admin,
    async createDjangoDatabase(name) {
      const schema = (await readFile(MARIADB_SCHEMA, 'utf8')).replace(/^--.*$/gm, '');
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
      await admin.query(`USE \`${name}\`; SET FOREIGN_KEY_CHECKS = 0; ${schema} SET FOREIGN_KEY_CHECKS = 1;`);
      return `mysql://root@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    process: () => server as Spawned,
    async close() {
      await admin.end().catch(() => {});
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A docs/*-mysql.sql file run for a random user name and password on `database`; returns that user's URL. */
async function createUserFrom(server: MariaDbServer, grants: URL, template: string, database: string): Promise<string> {
  const user = `${template.replace('django_', 'bridge_')}_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const statements = (await readFile(grants, 'utf8'))
    .replace(/^--.*$/gm, '')
    .replaceAll(template, user)
    .replaceAll("'change-me'", `'${password}'`)
    .replaceAll(' django.', ` \`${database}\`.`);
  await server.admin.query(statements);
  return server.url(database, user, password);
}

/**
 * A user made by exactly docs/read-only-mysql.sql, with a random name and password, on `database` (whose
 * tables must exist: the GRANTs name their columns); returns its URL.
 */
export function createReadOnlyUser(server: MariaDbServer, database: string): Promise<string> {
  return createUserFrom(server, READ_ONLY_GRANTS, 'django_readonly', database);
}

/** A user made by exactly docs/write-role-mysql.sql (DATABASE_WRITE_URL), on `database`; returns its URL. */
export function createWriteUser(server: MariaDbServer, database: string): Promise<string> {
  return createUserFrom(server, WRITE_GRANTS, 'django_writer', database);
}

/**
 * A suite on a throwaway MariaDB of its own, started before and stopped after it; skipped (named) without
 * mariadb-server, or without the other Debian packages it names as missing.
 */
export function mariadbSuite(name: string, body: (server: () => MariaDbServer) => void, alsoMissing: readonly string[] = []): void {
  packagedSuite(name, [...missingMariaDb(), ...alsoMissing], () => {
    let server: MariaDbServer | undefined;
    before(async () => {
      server = await startMariaDb();
    });
    body(() => server as MariaDbServer);
    after(() => server?.close());
  });
}
