import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { startupProblem } from '../src/startup-check.ts';
import { buildApp, createFixture, SECRET_KEY, testConfig, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, newSessionKey, userPassword } from './helpers/django.ts';

const GRANTS = new URL('../docs/read-only-role.sql', import.meta.url);

/** docs/read-only-role.sql as psql would run it, for this role, password and database. */
function grantStatements(role: string, password: string, database: string): string {
  return readFileSync(GRANTS, 'utf8')
    .replace(/^--.*$/gm, '')
    .replaceAll(":'password'", `'${password}'`)
    .replaceAll('django_readonly', `"${role}"`)
    .replaceAll('ON DATABASE django ', `ON DATABASE "${database}" `);
}

interface TableStats {
  inserted: number;
  updated: number;
  deleted: number;
  indexScans: number;
}

async function tableStats(client: pg.ClientBase): Promise<Map<string, TableStats>> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ relname: string; inserted: string; updated: string; deleted: string; index_scans: string }>(
    `SELECT relname, n_tup_ins AS inserted, n_tup_upd + n_tup_hot_upd AS updated, n_tup_del AS deleted,
            coalesce(idx_scan, 0) AS index_scans
       FROM pg_stat_user_tables`,
  );
  return new Map(rows.map((row) => [row.relname, { inserted: Number(row.inserted), updated: Number(row.updated), deleted: Number(row.deleted), indexScans: Number(row.index_scans) }]));
}

/** Statistics reach pg_stat_* asynchronously; wait until they show what `ready` expects. */
async function statsWhen(client: pg.ClientBase, ready: (stats: Map<string, TableStats>) => boolean): Promise<Map<string, TableStats>> {
  for (let waited = 0; ; waited += 100) {
    const stats = await tableStats(client);
    if (ready(stats)) return stats;
    if (waited > 15_000) assert.fail(`statistics never caught up: ${JSON.stringify([...stats])}`);
    await sleep(100);
  }
}

describe('read-only: the service runs as a SELECT-only role and never writes', () => {
  let fixture: Fixture;
  const role = `bridge_ro_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let roleUrl: string;
  const keys: Record<'alice' | 'anonymous' | 'expired' | 'unknown', string> = { alice: '', anonymous: '', expired: '', unknown: newSessionKey() };

  before(async () => {
    fixture = await createFixture();
    const admin = new pg.Client({ connectionString: fixture.database.url });
    await admin.connect();
    await admin.query(grantStatements(role, password, fixture.database.name));
    await admin.end();
    const url = new URL(fixture.database.url);
    url.username = role;
    url.password = password;
    roleUrl = url.toString();

    // Django's writes, from a connection that is then closed: its statistics are flushed when it ends.
    const django = new pg.Client({ connectionString: fixture.database.url });
    await django.connect();
    const alice = await insertUser(django, { username: 'alice' });
    await insertUser(django, { username: 'bob', isActive: false });
    const session = loginSession(alice, await userPassword(django, alice), SECRET_KEY);
    keys.alice = await insertSession(django, encodeSession(session, SECRET_KEY));
    keys.anonymous = await insertSession(django, encodeSession({ cart: [1] }, SECRET_KEY));
    keys.expired = await insertSession(django, encodeSession(session, SECRET_KEY), new Date(Date.now() - 1000));
    await django.end();
  });

  after(async () => {
    await fixture.close();
    const admin = new pg.Client({ connectionString: fixture.database.adminUrl });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  /** Every route with every kind of visitor; returns how many session and user lookups that took. */
  async function visitEverything(app: ReturnType<typeof buildApp>['app']): Promise<{ sessions: number; users: number }> {
    const agent = request(app.callback());
    const page = await agent.get('/elixir/').set('Cookie', `sessionid=${keys.alice}`).expect(200);
    assert.match(page.text, /Logged In!/);
    const me = await agent.get('/elixir/api/me').set('Cookie', `sessionid=${keys.alice}`).expect(200);
    assert.equal(me.body.loggedIn, true);
    for (const key of [keys.anonymous, keys.expired, keys.unknown, 'garbage']) {
      assert.equal((await agent.get('/elixir/api/me').set('Cookie', `sessionid=${key}`).expect(200)).body.loggedIn, false);
    }
    await agent.get('/elixir/').expect(200);
    assert.deepEqual((await agent.get('/elixir/healthz').expect(200)).body, { status: 'ok' });
    await agent.get('/elixir/metrics').expect(200);
    await agent.get('/elixir/nope').set('Cookie', `sessionid=${keys.alice}`).expect(404);
    // alice three times (page, API, 404), then anonymous, expired and unknown; users: alice's three.
    return { sessions: 6, users: 3 };
  }

  for (const store of ['sql', 'prisma']) {
    it(`the documented GRANTs are all it needs (${store} store): every route, the start-up check`, async () => {
      const { app, config, db } = fixture.app({ DATABASE_URL: roleUrl, SESSION_STORE: store });
      assert.equal(await startupProblem(config, db), null);
      await visitEverything(app);
    });
  }

  it('the role can read only those columns, and can write nothing', async () => {
    const client = new pg.Client({ connectionString: roleUrl });
    await client.connect();
    try {
      const refused = async (sql: string) => {
        const error = await client.query(sql).then(() => null, (caught: { code?: string }) => caught);
        assert.ok(error?.code === '42501' || error?.code === '25006', `${sql}: ${String(error)}`);
      };
      await refused("INSERT INTO django_session VALUES ('x', 'y', now())");
      await refused("UPDATE auth_user SET is_superuser = true WHERE username = 'alice'");
      await refused('DELETE FROM django_session');
      await refused('SELECT date_joined FROM auth_user');
      await refused('SELECT last_login FROM auth_user');
      await refused('SELECT * FROM auth_user_groups');
      await refused('SELECT name FROM auth_permission');
      await refused('SELECT model FROM django_content_type');
      await refused('CREATE TABLE bridge_scratch (id int)');
      assert.equal((await client.query('SHOW default_transaction_read_only')).rows[0]?.default_transaction_read_only, 'on');
    } finally {
      await client.end();
    }
  });

  it('PostgreSQL\'s own statistics show zero rows inserted, updated or deleted by a run of requests', async () => {
    const observer = new pg.Client({ connectionString: fixture.database.url });
    await observer.connect();
    try {
      // Django's writes in before() show up first: the counters do see writes.
      const before = await statsWhen(observer, (stats) => stats.get('django_session')?.inserted === 3 && stats.get('auth_user')?.inserted === 2);

      let lookups = { sessions: 0, users: 0 };
      for (const store of ['sql', 'prisma']) {
        // As a superuser, so nothing but the code itself stands between the service and a write.
        const built = buildApp(testConfig(fixture.database.url, { SESSION_STORE: store }));
        for (let round = 0; round < 5; round++) {
          const made = await visitEverything(built.app);
          lookups = { sessions: lookups.sessions + made.sessions, users: lookups.users + made.users };
        }
        await built.close();
      }

      const grew = (stats: Map<string, TableStats>, table: string, field: keyof TableStats) => (stats.get(table)?.[field] ?? 0) - (before.get(table)?.[field] ?? 0);
      const after = await statsWhen(observer, (stats) => grew(stats, 'django_session', 'indexScans') >= lookups.sessions && grew(stats, 'auth_user', 'indexScans') >= lookups.users);
      console.log(`# ${lookups.sessions} session and ${lookups.users} user lookups seen by pg_stat_user_tables; writes: none`);
      for (const [table, stats] of after) {
        const was = before.get(table);
        assert.deepEqual(
          { inserted: stats.inserted, updated: stats.updated, deleted: stats.deleted },
          { inserted: was?.inserted ?? 0, updated: was?.updated ?? 0, deleted: was?.deleted ?? 0 },
          `${table} was written to`,
        );
      }
    } finally {
      await observer.end();
    }
  });
});
