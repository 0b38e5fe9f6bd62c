import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { createDjangoAuth, type DjangoAuth } from 'django-session-bridge';
import { makePassword, passwordHashers, pbkdf2Hasher } from 'django-session-bridge/django';
import { createTestDatabase } from './helpers/database.ts';
import { mariadbDjangoDb, postgresDjangoDbOn, sqliteDjangoDb, type DjangoDb } from './helpers/django-databases.ts';
import { createWriteUser, missingMariaDb, startMariaDb } from './helpers/mariadb-server.ts';
import { executable, packagedSuite } from './helpers/packaged-suite.ts';
import { createPostgresWriteRole } from './helpers/write-role.ts';

const PYTHON = process.env.E2E_DJANGO_PYTHON ?? '/usr/bin/python3';
const PROBE = new URL('./helpers/django_auth_probe.py', import.meta.url).pathname;
const SECRET = 'django-writes-both-ways-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const run = promisify(execFile);

function importable(module: string): boolean {
  return executable(PYTHON) && (() => {
    try {
      readFileSync(`/usr/lib/python3/dist-packages/${module}/__init__.py`);
      return true;
    } catch {
      return false;
    }
  })();
}

/** Django's database as the probe writes it, and the service's write URL: the docs' write role on it. */
interface WriteSite {
  db: DjangoDb;
  writeUrl: string;
  close(): Promise<void>;
}

/** docs/write-role.sql for a throwaway role on a fresh PostgreSQL database. */
async function postgresSite(): Promise<WriteSite> {
  const database = await createTestDatabase();
  const role = await createPostgresWriteRole(database);
  const db = await postgresDjangoDbOn(database);
  return {
    db,
    writeUrl: role.url,
    async close() {
      await db.close();
      await role.drop();
    },
  };
}

/** docs/write-role-mysql.sql for a throwaway user on a fresh MariaDB database. */
async function mariadbSite(): Promise<WriteSite> {
  const server = await startMariaDb();
  const db = await mariadbDjangoDb(server);
  const database = new URL(db.url).pathname.slice(1);
  return {
    db,
    writeUrl: await createWriteUser(server, database),
    async close() {
      await db.close();
      await server.close();
    },
  };
}

/** SQLite has no roles: the write URL is Django's own file. */
async function sqliteSite(): Promise<WriteSite> {
  const db = await sqliteDjangoDb();
  return { db, writeUrl: db.url, close: () => db.close() };
}

const DJANGO_VERSION = executable(PYTHON) ? spawnSync(PYTHON, ['-c', 'import django; print("%d.%d" % django.VERSION[:2])'], { encoding: 'utf8' }).stdout.trim() : '';

interface SiteKind {
  name: string;
  missing: string[];
  open: () => Promise<WriteSite>;
  /** SESSION_SERIALIZER, on both sides. */
  serializer?: 'pickle';
}

const SITES: SiteKind[] = [
  { name: 'PostgreSQL', missing: importable('psycopg2') ? [] : ['python3-psycopg2'], open: postgresSite },
  { name: 'MariaDB', missing: [...missingMariaDb(), ...(importable('MySQLdb') ? [] : ['python3-mysqldb'])], open: mariadbSite },
  { name: 'SQLite', missing: [], open: sqliteSite },
  // PickleSerializer is gone from Django 5.0: on 5.2 there is nothing to prove.
  ...(Number(DJANGO_VERSION.split('.')[0]) < 5 ? [{ name: 'SQLite, PickleSerializer', missing: [], open: sqliteSite, serializer: 'pickle' as const }] : []),
];

for (const { name, missing, open, serializer } of SITES) {
  packagedSuite(`log-ins written by Node are Django's, and Django's are Node's (real Django, the same ${name} database)`, [...(executable(PYTHON) ? [] : ['python3-django']), ...missing], () => {
    let site: WriteSite;
    let auth: DjangoAuth;
    let bobId: number;

    async function django<T>(...args: string[]): Promise<T> {
      const env = { ...process.env, DATABASE_URL: site.db.url, DJANGO_SECRET_KEY: SECRET, ...(serializer ? { DJANGO_SESSION_SERIALIZER: serializer } : {}) };
      const { stdout } = await run(PYTHON, [PROBE, ...args], { env });
      return JSON.parse(stdout) as T;
    }

    before(async () => {
      site = await open();
      const version = DJANGO_VERSION;
      const hashers = passwordHashers({ djangoVersion: version });
      await site.db.insertUser({ username: 'alice', password: await makePassword('alice-pw', hashers) });
      // A hash with half the iterations of the version's: log-in upgrades it, as Django would.
      const older = await makePassword('bob-pw', hashers, { salt: 'bobsaltbobsaltbobsalt1' });
      const [algorithm, iterations, salt] = older.split('$') as [string, string, string];
      const half = passwordHashers({ djangoVersion: version, hashers: [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: Number(iterations) / 2 })] });
      assert.equal(algorithm, 'pbkdf2_sha256');
      bobId = await site.db.insertUser({ username: 'bob', password: await makePassword('bob-pw', half, { salt }) });
      auth = createDjangoAuth({ databaseUrl: site.db.url, databaseWriteUrl: site.writeUrl, secretKey: SECRET, djangoVersion: version, sessionSerializer: serializer });
    });
    after(async () => {
      await auth?.close();
      await site?.close();
    });

    it('logged in on Node: Django\'s get_user() sees the user; logged out on Node: Django sees no one, the row gone', async () => {
      const alice = await auth.checkCredentials('alice', 'alice-pw');
      const { sessionKey } = await auth.login(undefined, alice!);
      assert.deepEqual(await django('user', sessionKey), { authenticated: true, username: 'alice' });
      await auth.logout(`sessionid=${sessionKey}`);
      assert.deepEqual(await django('user', sessionKey), { authenticated: false, username: null });
      assert.deepEqual(await django('exists', sessionKey), { exists: false });
    });

    it('logged in on Django: Node sees the user, and logging out on Node ends it for Django', async () => {
      const { session_key: key } = await django<{ session_key: string }>('login', 'alice', 'alice-pw');
      assert.equal((await auth.authenticate(`sessionid=${key}`)).user?.username, 'alice');
      await auth.logout(`sessionid=${key}`);
      assert.deepEqual(await django('user', key), { authenticated: false, username: null });
      assert.deepEqual(await django('exists', key), { exists: false });
    });

    it('logged in on Node over a Django session of the same user: Django still sees them', async () => {
      const { session_key: key } = await django<{ session_key: string }>('login', 'alice', 'alice-pw');
      const alice = await auth.checkCredentials('alice', 'alice-pw');
      const { sessionKey } = await auth.login(`sessionid=${key}`, alice!);
      assert.deepEqual(await django('user', sessionKey), { authenticated: true, username: 'alice' });
    });

    it('the password changed on Node: Django accepts the new one and not the old; the other session is logged out on both sides', async () => {
      const { session_key: elsewhere } = await django<{ session_key: string }>('login', 'alice', 'alice-pw');
      const alice = await auth.checkCredentials('alice', 'alice-pw');
      const { sessionKey } = await auth.login(undefined, alice!);
      const changed = await auth.changePassword(`sessionid=${sessionKey}`, { oldPassword: 'alice-pw', newPassword1: 'alice-new', newPassword2: 'alice-new' });
      assert.ok(changed.ok);
      assert.deepEqual(await django('check', 'alice', 'alice-new'), { valid: true });
      assert.deepEqual(await django('check', 'alice', 'alice-pw'), { valid: false });
      assert.deepEqual(await django('user', changed.sessionKey), { authenticated: true, username: 'alice' });
      assert.deepEqual(await django('user', elsewhere), { authenticated: false, username: null });
      assert.equal((await auth.authenticate(`sessionid=${elsewhere}`)).loggedIn, false);
    });

    it('an outdated hash is upgraded on a Node log-in, and Django still logs the user in with it', async () => {
      const before = await site.db.userPassword(bobId);
      const bob = await auth.checkCredentials('bob', 'bob-pw');
      assert.ok(bob);
      const after = await site.db.userPassword(bobId);
      assert.notEqual(after, before);
      assert.equal(after.split('$')[1], String(Number(before.split('$')[1]) * 2));
      const { session_key: key } = await django<{ session_key: string | null }>('login', 'bob', 'bob-pw');
      assert.ok(key);
      assert.equal(await site.db.userPassword(bobId), after, 'Django found nothing left to upgrade');
    });

    it('last_login is written as Django writes it: Django reads it back as the instant of the log-in', async () => {
      const startedMs = Date.now();
      const bob = await auth.checkCredentials('bob', 'bob-pw');
      await auth.login(undefined, bob!);
      const { last_login: lastLogin } = await django<{ last_login: string }>('last_login', 'bob');
      const writtenMs = Date.parse(lastLogin);
      assert.ok(writtenMs >= startedMs - 1 && writtenMs <= Date.now() + 1, `${lastLogin} is the log-in's instant`);
    });
  });
}
