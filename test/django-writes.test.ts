import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { createDjangoAuth, type DjangoAuth } from 'django-session-bridge';
import { makePassword, passwordHashers, pbkdf2Hasher } from 'django-session-bridge/django';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { insertUser } from './helpers/django.ts';
import { executable, packagedSuite } from './helpers/packaged-suite.ts';

const PYTHON = process.env.E2E_DJANGO_PYTHON ?? '/usr/bin/python3';
const PROBE = new URL('./helpers/django_auth_probe.py', import.meta.url).pathname;
const WRITE_ROLE = new URL('../docs/write-role.sql', import.meta.url);
const SECRET = 'django-writes-both-ways-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const run = promisify(execFile);

function missing(): string[] {
  if (!executable(PYTHON)) return ['python3-django'];
  try {
    readFileSync('/usr/lib/python3/dist-packages/psycopg2/__init__.py');
  } catch {
    return ['python3-psycopg2'];
  }
  return [];
}

packagedSuite('log-ins written by Node are Django\'s, and Django\'s are Node\'s (real Django, same PostgreSQL)', missing(), () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  let auth: DjangoAuth;
  const role = `bridge_w_${randomBytes(4).toString('hex')}`;
  const rolePassword = randomBytes(12).toString('hex');

  async function django<T>(...args: string[]): Promise<T> {
    const { stdout } = await run(PYTHON, [PROBE, ...args], { env: { ...process.env, DATABASE_URL: database.url, DJANGO_SECRET_KEY: SECRET } });
    return JSON.parse(stdout) as T;
  }

  before(async () => {
    database = await createTestDatabase();
    admin = new pg.Pool({ connectionString: database.url, max: 2 });
    await admin.query(readFileSync(WRITE_ROLE, 'utf8').replace(/^--.*$/gm, '').replaceAll(":'password'", `'${rolePassword}'`)
      .replaceAll('django_writer', `"${role}"`).replaceAll('ON DATABASE django ', `ON DATABASE "${database.name}" `));
    const version = (await run(PYTHON, ['-c', 'import django; print("%d.%d" % django.VERSION[:2])'])).stdout.trim();
    const hashers = passwordHashers({ djangoVersion: version });
    await insertUser(admin, { username: 'alice', password: await makePassword('alice-pw', hashers) });
    // A hash with half the iterations of the version's: log-in upgrades it, as Django would.
    const older = await makePassword('bob-pw', hashers, { salt: 'bobsaltbobsaltbobsalt1' });
    const [algorithm, iterations, salt] = older.split('$') as [string, string, string];
    const half = passwordHashers({ djangoVersion: version, hashers: [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: Number(iterations) / 2 })] });
    assert.equal(algorithm, 'pbkdf2_sha256');
    await insertUser(admin, { username: 'bob', password: await makePassword('bob-pw', half, { salt }) });
    const url = new URL(database.url);
    url.username = role;
    url.password = rolePassword;
    auth = createDjangoAuth({ databaseUrl: database.url, databaseWriteUrl: url.toString(), secretKey: SECRET, djangoVersion: version });
  });
  after(async () => {
    await auth.close();
    await admin.end();
    await database.drop();
    const client = new pg.Client({ connectionString: database.adminUrl });
    await client.connect();
    await client.query(`DROP ROLE IF EXISTS "${role}"`);
    await client.end();
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
    const before = (await admin.query<{ password: string }>("SELECT password FROM auth_user WHERE username = 'bob'")).rows[0]!.password;
    const bob = await auth.checkCredentials('bob', 'bob-pw');
    assert.ok(bob);
    const after = (await admin.query<{ password: string }>("SELECT password FROM auth_user WHERE username = 'bob'")).rows[0]!.password;
    assert.notEqual(after, before);
    assert.equal(after.split('$')[1], String(Number(before.split('$')[1]) * 2));
    const { session_key: key } = await django<{ session_key: string | null }>('login', 'bob', 'bob-pw');
    assert.ok(key);
    const unchanged = (await admin.query<{ password: string }>("SELECT password FROM auth_user WHERE username = 'bob'")).rows[0]!.password;
    assert.equal(unchanged, after, 'Django found nothing left to upgrade');
  });
});
