import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createDatabase, type Database } from '../src/db.ts';
import { startupProblem } from '../src/startup-check.ts';
import { SECRET_KEY, testConfig } from './helpers/app.ts';
import { createTestDatabase, databaseUrl, type TestDatabase } from './helpers/database.ts';
import { cleanEnv, spawnGroup } from './helpers/spawned.ts';
import { REDIS_MISSING, startRedis } from './helpers/redis-server.ts';
import { openSessionCache } from '../src/sessions/from-config.ts';

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('the start-up check (DATABASE_URL set): Django\'s tables must be there', () => {
  const databases: TestDatabase[] = [];
  const opened: Database[] = [];
  let adminUrl: string;
  let emptyUrl: string;
  const emptyName = `bridge_empty_${randomBytes(6).toString('hex')}`;
  const role = `bridge_noselect_${randomBytes(6).toString('hex')}`;

  async function django(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  }

  async function problem(url: string, env: Record<string, string> = {}): Promise<string | null> {
    const config = testConfig(url, { DB_TIMEOUT_MS: '1000', ...env });
    const db = createDatabase({ url, poolMax: 2, timeoutMs: config.dbTimeoutMs, onIdleError: () => {} });
    opened.push(db);
    const cache = openSessionCache(config);
    try {
      return await startupProblem(config, db, cache);
    } finally {
      await cache?.close();
    }
  }

  before(async () => {
    adminUrl = (await django()).adminUrl;
    await run(adminUrl, `CREATE DATABASE "${emptyName}"`);
    emptyUrl = databaseUrl(adminUrl, emptyName);
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await Promise.all(databases.map((database) => database.drop()));
    await run(adminUrl, `DROP DATABASE IF EXISTS "${emptyName}" WITH (FORCE)`);
    await run(adminUrl, `DROP ROLE IF EXISTS "${role}"`);
  });

  it('passes on a database Django migrated', async () => {
    const database = await django();
    assert.equal(await problem(database.url), null);
    assert.equal(await problem(database.url, { SESSION_STORE: 'prisma' }), null);
  });

  it('says to run Django\'s migrate first on a database without Django\'s tables, naming both', async () => {
    const message = await problem(emptyUrl);
    assert.ok(message);
    assert.match(message, /has no django_session and no auth_user table: run Django's migrate first \(python manage\.py migrate\)/);
    assert.match(message, new RegExp(`at 127\\.0\\.0\\.1:\\d+/${emptyName}`));
  });

  it('names the one table that is missing', async () => {
    const database = await django();
    await run(database.url, 'DROP TABLE auth_user CASCADE');
    assert.match((await problem(database.url)) ?? '', /has no auth_user table: run Django's migrate first/);
  });

  it('needs no django_session with the signed_cookies engine, which keeps sessions in the cookie', async () => {
    const database = await django();
    await run(database.url, 'DROP TABLE django_session');
    assert.equal(await problem(database.url, { DJANGO_SESSION_ENGINE: 'signed_cookies' }), null);
    assert.match((await problem(database.url)) ?? '', /has no django_session table/);
  });

  it('needs no django_session with the cache engine, but a session cache that answers', async (t) => {
    const database = await django();
    await run(database.url, 'DROP TABLE django_session');
    const cacheEngine = (url: string) => ({ DJANGO_SESSION_ENGINE: 'cache', DJANGO_CACHE_URL: url });
    assert.match((await problem(database.url, cacheEngine('memcached://127.0.0.1:1'))) ?? '', /^cannot reach the session cache at DJANGO_CACHE_URL: /);
    if (REDIS_MISSING.length > 0) return t.skip(`missing Debian packages: ${REDIS_MISSING.join(', ')}`);
    const redis = await startRedis();
    try {
      assert.equal(await problem(database.url, cacheEngine(redis.url)), null);
    } finally {
      await redis.stop();
    }
  });

  it('says to run db:pull when a column the client reads is missing, with either store', async () => {
    const database = await django();
    await run(database.url, 'ALTER TABLE auth_user DROP COLUMN is_active');
    for (const store of ['sql', 'prisma']) {
      assert.match((await problem(database.url, { SESSION_STORE: store })) ?? '', /is_active.*run npm run db:pull/, store);
    }
  });

  it('says what to grant when the role may not read the tables', async () => {
    const database = await django();
    await run(adminUrl, `CREATE ROLE "${role}" LOGIN PASSWORD 'secret-pw'`);
    const url = new URL(database.url);
    url.username = role;
    url.password = 'secret-pw';
    const message = (await problem(url.toString())) ?? '';
    assert.match(message, /permission denied.*grant the role SELECT on django_session, auth_user/);
    assert.doesNotMatch(message, /secret-pw/);
  });

  it('says it cannot reach a database that does not answer, without the password', async () => {
    const message = (await problem('postgresql://someone:hunter2@127.0.0.1:1/django')) ?? '';
    assert.match(message, /^cannot reach Django's database at 127\.0\.0\.1:1\/django: /);
    assert.doesNotMatch(message, /hunter2/);
  });

  it('catches a DJANGO_USER_TABLE the generated client was not made for', async () => {
    const database = await django();
    assert.match((await problem(database.url, { DJANGO_USER_TABLE: 'accounts_user' })) ?? '', /DJANGO_USER_TABLE is "accounts_user" but the generated Prisma client reads "auth_user": run npm run db:pull/);
  });

  it('stops src/server.ts with exit code 1 and the message, before it listens', async () => {
    const server = spawnGroup(process.execPath, ['--import', 'tsx', 'src/server.ts'], cleanEnv({
      DATABASE_URL: emptyUrl,
      DJANGO_SECRET_KEY: SECRET_KEY,
      NODE_ENV: 'production',
      PORT: '0',
    }));
    try {
      const exit = await server.exited;
      assert.equal(exit.code, 1);
      assert.match(server.output(), /Start-up check failed: the database at .* has no django_session and no auth_user table: run Django's migrate first/);
      assert.doesNotMatch(server.output(), /listening/);
      assert.doesNotMatch(server.output(), /bridge@|:bridge/);
    } finally {
      server.kill('SIGKILL', 'group');
    }
  });
});
