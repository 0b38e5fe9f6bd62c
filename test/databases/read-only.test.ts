import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as mariadb from 'mariadb';
import request from 'supertest';
import { openDatabase } from '../../src/databases/open.ts';
import type { SqliteDatabase } from 'django-session-bridge';
import { mysqlConnection } from 'django-session-bridge';
import { startupProblem } from '../../src/startup-check.ts';
import { SECRET_KEY, testConfig } from '../helpers/app.ts';
import { appOn, mariadbDjangoDb, sqliteDjangoDb, type DatabaseApp, type DjangoDb } from '../helpers/django-databases.ts';
import { encodeSession, loginSession, newSessionKey } from '../helpers/django.ts';
import { createReadOnlyUser, mariadbSuite } from '../helpers/mariadb-server.ts';

const ROUTES = ['/elixir/', '/elixir/api/me', '/elixir/healthz', '/elixir/metrics', '/elixir/no-such-page'];

interface Keys {
  alice: string;
  anonymous: string;
  expired: string;
}

async function djangoSessions(django: DjangoDb): Promise<Keys> {
  const alice = await django.insertUser({ username: 'alice' });
  return {
    alice: await django.insertSession(encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY)),
    anonymous: await django.insertSession(encodeSession({ cart: [1] }, SECRET_KEY)),
    expired: await django.insertSession(encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY), new Date(Date.now() - 60_000)),
  };
}

/** Every route with every kind of cookie; the logged-in one must be logged in. */
async function everyRoute(built: DatabaseApp, keys: Keys): Promise<void> {
  for (const cookie of [keys.alice, keys.anonymous, keys.expired, newSessionKey(), 'garbage!']) {
    for (const route of ROUTES) {
      const response = await request(built.app.callback()).get(route).set('Cookie', `sessionid=${cookie}`);
      assert.equal(response.status, route.endsWith('no-such-page') ? 404 : 200, `${route} with ${cookie.slice(0, 6)}`);
    }
  }
  const me = await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${keys.alice}`);
  assert.equal(me.body.loggedIn, true);
}

const WRITES = ['Com_insert', 'Com_insert_select', 'Com_replace', 'Com_update', 'Com_update_multi', 'Com_delete', 'Com_delete_multi', 'Com_create_table', 'Com_alter_table', 'Com_drop_table', 'Com_truncate'];

async function serverCounters(pool: mariadb.Pool): Promise<Record<string, number>> {
  const rows = await pool.query<{ Variable_name: string; Value: string }[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (${[...WRITES, 'Com_select', 'Com_execute_sql', 'Com_stmt_execute'].map(() => '?').join(', ')})`, [...WRITES, 'Com_select', 'Com_execute_sql', 'Com_stmt_execute']);
  return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
}

mariadbSuite('read-only on MariaDB: a SELECT-only user (docs/read-only-mysql.sql), and zero writes by the server\'s own counters', (server) => {
  let django: DjangoDb;
  let keys: Keys;
  let userUrl: string;

  before(async () => {
    django = await mariadbDjangoDb(server());
    keys = await djangoSessions(django);
    userUrl = await createReadOnlyUser(server(), mysqlConnection(django.url).database);
  });
  after(async () => {
    await django?.close();
  });

  for (const store of ['sql', 'prisma']) {
    it(`as that user, every route and the start-up check work (${store} store)`, async () => {
      const built = await appOn(userUrl, { SESSION_STORE: store });
      try {
        await everyRoute(built, keys);
        assert.equal(await startupProblem(testConfig(userUrl, { SESSION_STORE: store }), built.db), null);
      } finally {
        await built.close();
      }
    });
  }

  it('as that user, writes, DDL and any other column or table are refused', async () => {
    const pool = mariadb.createPool({ ...mysqlConnection(userUrl), connectionLimit: 1 });
    try {
      for (const sql of [
        "INSERT INTO django_session VALUES ('x', 'y', NOW())",
        'UPDATE auth_user SET is_active = 1',
        'DELETE FROM django_session',
        'CREATE TABLE intruder (id int)',
        'SELECT date_joined FROM auth_user',
        'SELECT * FROM django_migrations',
      ]) {
        await assert.rejects(pool.query(sql), /denied/i, sql);
      }
    } finally {
      await pool.end();
    }
  });

  it('connected as root, the service still never writes: Com_insert/update/delete and DDL counters do not move', async () => {
    const before = await serverCounters(server().admin);
    await django.insertSession('probe:1:sig');
    const afterDjango = await serverCounters(server().admin);
    assert.equal(afterDjango.Com_insert, (before.Com_insert ?? 0) + 1, 'the counters see writes');
    for (const store of ['sql', 'prisma']) {
      const built = await appOn(django.url, { SESSION_STORE: store });
      try {
        for (let i = 0; i < 15; i += 1) await everyRoute(built, keys);
      } finally {
        await built.close();
      }
    }
    const afterService = await serverCounters(server().admin);
    const reads = (afterService.Com_select ?? 0) + (afterService.Com_stmt_execute ?? 0) - (afterDjango.Com_select ?? 0) - (afterDjango.Com_stmt_execute ?? 0);
    assert.ok(reads >= 90, `the service's reads are counted (${reads})`);
    for (const counter of WRITES) assert.equal(afterService[counter], afterDjango[counter], counter);
  });
});

function sqliteReadOnly(journal: 'delete' | 'wal'): void {
  let django: Awaited<ReturnType<typeof sqliteDjangoDb>>;
  let keys: Keys;
  let filesBefore: string[];
  before(async () => {
    django = await sqliteDjangoDb(journal);
    keys = await djangoSessions(django);
    filesBefore = readdirSync(dirname(django.file)).sort();
  });
  after(() => django?.close());

  it('every route works on the file, opened read-only, and seeing what Django commits while it writes', async () => {
    const built = await appOn(django.url);
    try {
      await everyRoute(built, keys);
      for (let i = 0; i < 20; i += 1) {
        const alice = await django.insertUser({ username: `writer-${journal}-${i}` });
        const key = await django.insertSession(encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY));
        const me = await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${key}`);
        assert.equal(me.body.loggedIn, true, `session ${i}, written after the service opened the file`);
      }
      assert.equal(await startupProblem(testConfig(django.url), built.db), null);
    } finally {
      await built.close();
    }
  });

  it('refuses to write through its own connection', async () => {
    const db = (await openDatabase({ url: django.url, poolMax: 1, timeoutMs: 2000 })) as SqliteDatabase;
    try {
      assert.throws(() => db.connection().prepare('DELETE FROM django_session').run(), /readonly/i);
    } finally {
      void db.close();
    }
  });

  it(journal === 'wal' ? 'leaves only the -wal and -shm files Django\'s own connection made' : 'never creates a -wal, -shm or -journal file', () => {
    assert.deepEqual(readdirSync(dirname(django.file)).sort(), filesBefore);
  });
}

describe('read-only on SQLite in rollback-journal mode (Django\'s default)', () => {
  sqliteReadOnly('delete');
});

describe('read-only on SQLite in WAL mode', () => {
  sqliteReadOnly('wal');
});
