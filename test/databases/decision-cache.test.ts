import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type * as mariadb from 'mariadb';
import request from 'supertest';
import { SECRET_KEY } from '../helpers/app.ts';
import { appOn, mariadbDjangoDb, sqliteDjangoDb, type DatabaseApp, type DjangoDb } from '../helpers/django-databases.ts';
import { encodeSession, loginSession, newSessionKey } from '../helpers/django.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';

const LONG_TTL = { SESSION_CACHE_TTL_MS: '600000' };
const SHORT_TTL_MS = 1500;

interface Visitors {
  alice: string;
  anonymous: string;
  inactive: string;
  expired: string;
  unknown: string;
}

async function djangoSessions(django: DjangoDb): Promise<Visitors> {
  const login = async (id: number, expire?: Date) =>
    django.insertSession(encodeSession(loginSession(id, await django.userPassword(id), SECRET_KEY), SECRET_KEY), expire);
  const alice = await django.insertUser({ username: 'alice', isStaff: true });
  const bob = await django.insertUser({ username: 'bob', isActive: false });
  return {
    alice: await login(alice),
    anonymous: await django.insertSession(encodeSession({ cart: [1] }, SECRET_KEY)),
    inactive: await login(bob),
    expired: await login(alice, new Date(Date.now() - 60_000)),
    unknown: newSessionKey(),
  };
}

async function me(built: DatabaseApp, cookie: string): Promise<{ status: number; body: unknown }> {
  const response = await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${cookie}`);
  return { status: response.status, body: response.body };
}

/** The page: the two lookups and nothing else (/api/me adds the permission query, which is never cached). */
async function page(built: DatabaseApp, cookie: string, visitors: Visitors): Promise<number> {
  const response = await request(built.app.callback()).get('/elixir/').set('Cookie', `sessionid=${cookie}`);
  // Alice is the one visitor who is logged in.
  if (response.status === 200) assert.equal(response.text.includes('Logged In!'), cookie === visitors.alice, 'the page\'s verdict');
  return response.status;
}

/**
 * The decision cache (SESSION_CACHE_TTL_MS, src/sessions/cache.ts) on MySQL/MariaDB and SQLite, as on
 * PostgreSQL (test/sessions/cache.test.ts): the verdict it reuses is the one a lookup gives, and Django's
 * log-out shows once the TTL has passed. `noQuery` is each database's own proof that a repeat within the TTL
 * does not reach it.
 */
function decisionCache<Db extends DjangoDb>(openDjango: () => Promise<Db>, noQuery: (django: () => Db, visitors: () => Visitors) => void): void {
  let django: Db;
  let visitors: Visitors;
  const apps: DatabaseApp[] = [];
  const app = async (env: Record<string, string> = {}) => {
    const built = await appOn(django.url, env);
    apps.push(built);
    return built;
  };
  before(async () => {
    django = await openDjango();
    visitors = await djangoSessions(django);
  });
  after(async () => {
    await Promise.all(apps.map((built) => built.close()));
    await django?.close();
  });

  for (const store of ['sql', 'prisma']) {
    it(`the cached verdict is the uncached one for every kind of visitor, first and repeated (${store} store)`, async () => {
      const uncached = await app({ SESSION_STORE: store });
      const cached = await app({ SESSION_STORE: store, ...LONG_TTL });
      for (const [name, cookie] of Object.entries(visitors)) {
        const expected = await me(uncached, cookie);
        assert.equal(expected.status, 200, name);
        assert.deepEqual(await me(cached, cookie), expected, `${name}: the lookup`);
        assert.deepEqual(await me(cached, cookie), expected, `${name}: the cached verdict`);
      }
      assert.equal(((await me(uncached, visitors.alice)).body as { loggedIn: boolean }).loggedIn, true, 'alice is logged in');
    });
  }

  it('a log-out in Django (the row deleted on its own connection) shows only once the TTL has passed', async () => {
    const alice = await django.insertUser({ username: 'alice-logs-out' });
    const key = await django.insertSession(encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY));
    const cached = await app({ SESSION_CACHE_TTL_MS: String(SHORT_TTL_MS) });
    const loggedIn = async (built: DatabaseApp) => ((await me(built, key)).body as { loggedIn: boolean }).loggedIn;
    assert.equal(await loggedIn(cached), true);
    const lookedUp = Date.now();
    await django.deleteSession(key);
    assert.equal(await loggedIn(await app()), false, 'a lookup sees the log-out at once');
    assert.equal(await loggedIn(cached), true, 'the cached verdict, within the TTL');
    assert.ok(Date.now() - lookedUp < SHORT_TTL_MS, 'the repeat came within the TTL');
    await sleep(SHORT_TTL_MS - (Date.now() - lookedUp) + 100);
    assert.equal(await loggedIn(cached), false, 'after the TTL, the log-out');
  });

  describe('a repeat within the TTL makes no database query', () => {
    noQuery(() => django, () => visitors);
  });

}

describe('the decision cache on SQLite', () => {
  decisionCache(
    () => sqliteDjangoDb('delete'),
    (django, visitors) => {
      // No statement counter is visible from outside a SQLite file; a lock is. While Django holds an exclusive
      // lock (rollback journal: no reader gets in), any read fails; an answer then was not a read.
      it('while Django holds an exclusive lock on the file, a lookup is a 503 and a cached verdict is answered', async () => {
        const { writer } = django();
        const uncached = await appOn(django().url);
        const cached = await appOn(django().url, LONG_TTL);
        try {
          for (const cookie of Object.values(visitors())) assert.equal(await page(cached, cookie, visitors()), 200);
          writer.exec('BEGIN EXCLUSIVE');
          try {
            assert.equal(await page(uncached, visitors().alice, visitors()), 503, 'the lock keeps a lookup out');
            for (const [name, cookie] of Object.entries(visitors())) assert.equal(await page(cached, cookie, visitors()), 200, name);
          } finally {
            writer.exec('COMMIT');
          }
          assert.equal(await page(uncached, visitors().alice, visitors()), 200, 'the lock was the only obstacle');
        } finally {
          await Promise.all([uncached.close(), cached.close()]);
        }
      });
    },
  );
});

const READS = ['Com_select', 'Com_stmt_execute', 'Com_stmt_prepare'];

/** Statements the server ran, by its own counters: every SELECT, prepared or not. */
async function reads(admin: mariadb.Pool): Promise<number> {
  const rows = await admin.query<{ Value: string }[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (${READS.map(() => '?').join(', ')})`, READS);
  return rows.reduce((sum, row) => sum + Number(row.Value), 0);
}

mariadbSuite('the decision cache on MariaDB', (server) => {
  decisionCache(
    () => mariadbDjangoDb(server()),
    (django, visitors) => {
      for (const store of ['sql', 'prisma']) {
        it(`the server's Com_select and Com_stmt_* counters do not move on repeats within the TTL (${store} store)`, async (t) => {
          const { admin } = server();
          const uncached = await appOn(django().url, { SESSION_STORE: store });
          const cached = await appOn(django().url, { SESSION_STORE: store, ...LONG_TTL });
          try {
            // Both pools connected and their statements prepared before anything is counted.
            await page(uncached, newSessionKey(), visitors());
            await page(cached, newSessionKey(), visitors());
            const cookies = Object.values(visitors());
            const counted = async (requests: () => Promise<void>) => {
              const before = await reads(admin);
              await requests();
              return (await reads(admin)) - before;
            };
            const perLookup = await counted(async () => {
              for (const cookie of cookies) assert.equal(await page(uncached, cookie, visitors()), 200);
            });
            const first = await counted(async () => {
              for (const cookie of cookies) assert.equal(await page(cached, cookie, visitors()), 200);
            });
            const repeats = await counted(async () => {
              for (let i = 0; i < 5; i += 1) for (const cookie of cookies) assert.equal(await page(cached, cookie, visitors()), 200);
            });
            assert.ok(perLookup >= cookies.length, `the counters see the lookups (${perLookup} for ${cookies.length} requests)`);
            // Not exactly perLookup: a connection of the pool that the uncached app never used prepares its statements first.
            assert.ok(first >= cookies.length, `the first request of each cookie looks up (${first} statements for ${cookies.length})`);
            assert.equal(repeats, 0, `${cookies.length * 5} repeats within the TTL`);
            t.diagnostic(`${store}: ${perLookup} statements for ${cookies.length} lookups, ${first} with the cache's first requests, ${repeats} for ${cookies.length * 5} repeats`);
          } finally {
            await Promise.all([uncached.close(), cached.close()]);
          }
        });
      }
    },
  );
});
