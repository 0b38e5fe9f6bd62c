import { tablesFromPrisma } from 'django-session-bridge/prisma';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PrismaPg } from '@prisma/adapter-pg';
import fc from 'fast-check';
import pg from 'pg';
import { openDatabase as openAnyDatabase, type DjangoDatabase } from '../../src/databases/open.ts';
import type { Provider } from 'django-session-bridge';
import { createDatabase, type Database } from '../../src/db.ts';
import type { DjangoUser } from 'django-session-bridge/django';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createPrismaStore } from 'django-session-bridge/prisma';
import { storeFromConfig } from '../../src/sessions/from-config.ts';
import { createSqlStore } from 'django-session-bridge';
import type { SessionStore } from 'django-session-bridge';
import { sessionCacheKey } from 'django-session-bridge/django';
import { cacheFirst } from 'django-session-bridge';
import { createCacheStore } from 'django-session-bridge';
import { createMemcachedCache } from 'django-session-bridge/memcached';
import { createRedisCache } from 'django-session-bridge/redis';
import { CacheUnavailableError, type SessionCache } from 'django-session-bridge';
import { createFixture, testConfig, type Fixture } from '../helpers/app.ts';
import { createDjangoDatabase } from '../helpers/database.ts';
import { mariadbDjangoDb, postgresDjangoDb, sqliteDjangoDb, type DjangoDb } from '../helpers/django-databases.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { missingPostgres15, startReplication, type Replication } from '../helpers/standby.ts';
import { encodeSession, insertSession, insertUser, pickleSession } from '../helpers/django.ts';
import { generateClientFor, scratchClientDir } from '../helpers/generated-client.ts';
import type { CacheServer } from '../helpers/cache-server.ts';
import { MEMCACHED_MISSING, memcachedSet, startMemcached } from '../helpers/memcached-server.ts';
import { REDIS_MISSING, redisSet, startRedis } from '../helpers/redis-server.ts';

const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

type StoreKind = 'prisma' | 'sql';

function storesOn(db: Database, prisma: PrismaClient = db.prisma): Record<StoreKind, SessionStore> {
  return { prisma: createPrismaStore(prisma), sql: createSqlStore(db.pool, tablesFromPrisma(prisma)) };
}

function openDatabase(url: string, timeoutMs = 2000): Database {
  return createDatabase({ url, poolMax: 4, timeoutMs });
}

/** Both stores as the service configures them on any of Django's databases (SESSION_STORE=sql or prisma). */
async function storesFor(url: string, timeoutMs = 2000): Promise<{ db: DjangoDatabase; stores: Record<StoreKind, SessionStore> }> {
  const db = await openAnyDatabase({ url, poolMax: 4, timeoutMs });
  const store = (kind: StoreKind) => storeFromConfig(testConfig(url, { SESSION_STORE: kind }), db);
  return { db, stores: { prisma: store('prisma'), sql: store('sql') } };
}

function djangoUser(id: bigint, fields: Partial<DjangoUser> & { username: string; password: string }): DjangoUser {
  return { id, isActive: true, firstName: '', lastName: '', email: '', isStaff: false, isSuperuser: false, ...fields };
}

/** A URL of each kind that nothing answers. */
const UNREACHABLE: Record<Provider, string> = {
  postgresql: 'postgresql://postgres@127.0.0.1:1/none',
  mysql: 'mysql://root@127.0.0.1:1/none',
  sqlite: 'file:/nonexistent-directory/db.sqlite3',
};

/** The one contract every session store keeps, on one of Django's databases. */
function contract(openDjango: () => Promise<DjangoDb>): void {
  let django: DjangoDb;
  let db: DjangoDatabase;
  let stores: Record<StoreKind, SessionStore>;
  const live = { key: 'livekey0123456789abcdefghijklmnop', data: encodeSession({ visits: 3, note: 'données' }, 'some-key'), expire: new Date('2031-02-03T04:05:06.789Z') };
  const expired = { key: 'expiredkey0123456789abcdefghijklm', data: 'e30:1mp3YQ:sig', expire: new Date('2021-01-01T00:00:00.123Z') };
  let alice: DjangoUser;
  let bob: DjangoUser;
  let zoe: DjangoUser;

  before(async () => {
    django = await openDjango();
    await django.insertSession(live.data, live.expire, live.key);
    await django.insertSession(expired.data, expired.expire, expired.key);
    const aliceFields = { username: 'alice', password: 'pbkdf2_sha256$260000$abc$def=', firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', isStaff: true, isSuperuser: true };
    alice = djangoUser(BigInt(await django.insertUser(aliceFields)), aliceFields);
    const bobFields = { username: 'bob', password: 'argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA', isActive: false };
    bob = djangoUser(BigInt(await django.insertUser(bobFields)), bobFields);
    const zoeFields = { username: 'zoë', password: '!unusable', firstName: 'Zoë', lastName: 'Ångström' };
    zoe = djangoUser(BigInt(await django.insertUser(zoeFields)), zoeFields);
    ({ db, stores } = await storesFor(django.url));
  });
  after(async () => {
    await db?.close();
    await django?.close();
  });

  for (const kind of ['prisma', 'sql'] as const) {
    describe(`${kind} store`, () => {
      it('finds a session: its data and its expiry date, to the millisecond', async () => {
        assert.deepEqual(await stores[kind].findSession(live.key), { sessionData: live.data, expireDate: live.expire });
      });

      it('returns an expired row with its date (the caller compares it with its own clock)', async () => {
        assert.deepEqual(await stores[kind].findSession(expired.key), { sessionData: expired.data, expireDate: expired.expire });
      });

      it('answers null for a session key with no row, matching keys as the database compares them', async () => {
        for (const key of ['nosuchkey0123456789abcdefghijklmn', live.key.slice(0, -1), `${live.key}x`]) {
          assert.equal(await stores[kind].findSession(key), null, key);
        }
        // Django's varchar on MySQL has a case-insensitive collation, for Django's own lookup too.
        const upper = await stores[kind].findSession(live.key.toUpperCase());
        assert.equal(upper === null, django.provider !== 'mysql');
      });

      it('finds a user with every field the decision and the pages need', async () => {
        assert.deepEqual(await stores[kind].findUser(alice.id), alice);
        assert.deepEqual(await stores[kind].findUser(zoe.id), zoe);
      });

      it('returns inactive users too (is_active is the backend\'s rule, not the store\'s)', async () => {
        assert.deepEqual(await stores[kind].findUser(bob.id), bob);
      });

      it('answers null for an id with no user', async () => {
        for (const id of [0n, -1n, 999_999n, INT_MAX, -INT_MAX - 1n]) assert.equal(await stores[kind].findUser(id), null, String(id));
      });

      it('answers null, without a query error, for ids outside the int primary key\'s range', async () => {
        for (const id of [INT_MAX + 1n, -INT_MAX - 2n, BIGINT_MAX, BIGINT_MAX + 1n, 10n ** 30n, -(10n ** 30n)]) {
          assert.equal(await stores[kind].findUser(id), null, String(id));
        }
        assert.deepEqual(await stores[kind].findUser(alice.id), alice, 'the store still answers afterwards');
      });

      it('lets database errors escape rather than answering null', async () => {
        const down = await storesFor(UNREACHABLE[django.provider], 300);
        try {
          await assert.rejects(down.stores[kind].findSession(live.key));
          await assert.rejects(down.stores[kind].findUser(alice.id));
        } finally {
          await down.db.close();
        }
      });
    });
  }

  it('the sql store answers exactly what the reference (prisma) store answers', async () => {
    const keys = [live.key, expired.key, 'nosuchkey0123456789abcdefghijklmn'];
    const ids = [alice.id, bob.id, zoe.id, INT_MAX, INT_MAX + 1n, -INT_MAX - 1n, -INT_MAX - 2n];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...ids), fc.bigInt({ min: -5n, max: zoe.id + 5n }), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n })),
        fc.oneof(fc.constantFrom(...keys), fc.stringMatching(/^[a-z0-9]{8,40}$/)),
        async (id, key) => {
          assert.deepEqual(await stores.sql.findUser(id), await stores.prisma.findUser(id));
          assert.deepEqual(await stores.sql.findSession(key), await stores.prisma.findSession(key));
        },
      ),
      { numRuns: 60 },
    );
  });
}

describe('session store contract on PostgreSQL: the same answers from both stores, on Django\'s tables', () => {
  contract(postgresDjangoDb);
});

describe('session store contract on SQLite (rollback journal, Django\'s default)', () => {
  contract(() => sqliteDjangoDb('delete'));
});

describe('session store contract on SQLite in WAL mode', () => {
  contract(() => sqliteDjangoDb('wal'));
});

mariadbSuite('session store contract on MariaDB', (server) => {
  contract(() => mariadbDjangoDb(server()));
});

describe('session store contract: a custom user model with a bigint primary key (DJANGO_USER_TABLE=accounts_user)', () => {
  let fixture: Fixture;
  let db: Database;
  let prisma: PrismaClient;
  let stores: Record<StoreKind, SessionStore>;
  let schema: string;
  const scratch = scratchClientDir();
  const ids = [1n, INT_MAX + 1n, 2n ** 40n, BIGINT_MAX];
  const sessionKey = 'bigintsession0123456789abcdefghij';
  const accounts: DjangoUser[] = [];

  async function insertAccount(django: pg.Pool, id: bigint): Promise<DjangoUser> {
    const user = djangoUser(id, { username: `user${id}`, password: `pbkdf2_sha256$600000$s${id}$h` });
    await django.query(
      `INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       VALUES ($1, $2, false, $3, '', '', '', false, true, now())`,
      [id.toString(), user.password, user.username],
    );
    return user;
  }

  before(async () => {
    fixture = await createFixture();
    const { django } = fixture;
    // What Django's migrate writes for AUTH_USER_MODEL = "accounts.User" with DEFAULT_AUTO_FIELD = BigAutoField.
    await django.query(`CREATE TABLE accounts_user (
      id bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      password varchar(128) NOT NULL, last_login timestamptz NULL, is_superuser boolean NOT NULL,
      username varchar(150) NOT NULL UNIQUE, first_name varchar(150) NOT NULL, last_name varchar(150) NOT NULL,
      email varchar(254) NOT NULL, is_staff boolean NOT NULL, is_active boolean NOT NULL, date_joined timestamptz NOT NULL)`);
    await django.query(`CREATE TABLE accounts_user_groups (id serial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES accounts_user, group_id integer NOT NULL REFERENCES auth_group)`);
    await django.query(`CREATE TABLE accounts_user_user_permissions (id serial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES accounts_user, permission_id integer NOT NULL REFERENCES auth_permission)`);
    for (const id of ids) accounts.push(await insertAccount(django, id));
    await insertSession(django, 'e30:1mp3YQ:sig', new Date('2031-01-01T00:00:00Z'), sessionKey);
    const config = testConfig(fixture.database.url, { DJANGO_USER_TABLE: 'accounts_user' });
    const generated = await generateClientFor(fixture.database.url, config.userTable, scratch);
    schema = generated.schema;
    db = openDatabase(fixture.database.url);
    prisma = new generated.PrismaClient({ adapter: new PrismaPg(db.pool) });
    stores = storesOn(db, prisma);
  });
  after(async () => {
    await prisma?.$disconnect();
    await db?.close();
    await fixture.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('db:pull maps the custom table onto the model auth_user, with a BigInt id', () => {
    assert.match(schema, /model auth_user \{[^}]*\bid\s+BigInt\s+@id[^}]*@@map\("accounts_user"\)/);
  });

  for (const kind of ['prisma', 'sql'] as const) {
    describe(`${kind} store`, () => {
      it('finds users by ids beyond the int range, up to the largest bigint', async () => {
        for (const account of accounts) assert.deepEqual(await stores[kind].findUser(account.id), account, String(account.id));
      });

      it('answers null, without a query error, for ids outside the bigint range', async () => {
        for (const id of [BIGINT_MAX + 1n, -BIGINT_MAX - 2n, 10n ** 30n]) assert.equal(await stores[kind].findUser(id), null, String(id));
        assert.equal(await stores[kind].findUser(-BIGINT_MAX - 1n), null);
        assert.equal((await stores[kind].findUser(2n ** 40n))?.id, 2n ** 40n, 'the store still answers afterwards');
      });

      it('still finds sessions', async () => {
        assert.deepEqual(await stores[kind].findSession(sessionKey), { sessionData: 'e30:1mp3YQ:sig', expireDate: new Date('2031-01-01T00:00:00Z') });
      });
    });
  }
});


packagedSuite('session store contract: the cache engine over Redis and memcached, and cached_db read cache-first', [...REDIS_MISSING, ...MEMCACHED_MISSING], () => {
  let fixture: Fixture;
  let db: Database;
  let redis: CacheServer;
  let memcached: CacheServer;
  const caches: SessionCache[] = [];
  const keys = { keyPrefix: 'contract', version: 2 };
  const session = { _auth_user_id: '7', note: 'données' };
  const key = 'cachedkey0123456789abcdefghijklmn';
  const rowOnly = { key: 'rowonlykey0123456789abcdefghijklm', data: encodeSession({ visits: 1 }, 'some-key'), expire: new Date('2031-02-03T04:05:06.789Z') };
  let alice: DjangoUser;
  let stores: Record<string, SessionStore>;

  before(async () => {
    [fixture, redis, memcached] = await Promise.all([createFixture(), startRedis(), startMemcached()]);
    const aliceFields = { username: 'alice', password: 'pbkdf2_sha256$260000$abc$def=' };
    alice = djangoUser(BigInt(await insertUser(fixture.django, aliceFields)), aliceFields);
    await insertSession(fixture.django, rowOnly.data, rowOnly.expire, rowOnly.key);
    db = openDatabase(fixture.database.url);
    const value = pickleSession(session);
    await redisSet(redis.url, { [sessionCacheKey('cache', key, keys)]: value, [sessionCacheKey('cached_db', key, keys)]: value });
    await memcachedSet(memcached.port, { [sessionCacheKey('cache', key, keys)]: { value, flags: 1 } });
    const options = { timeoutMs: 1000, maxBytes: 1_048_576 };
    const onRedis = createRedisCache(redis.url, { serializer: 'pickle', compressor: 'none' }, options);
    const onMemcached = createMemcachedCache(memcached.url, options);
    caches.push(onRedis, onMemcached);
    const users = createSqlStore(db.pool, tablesFromPrisma(db.prisma));
    stores = {
      'redis cache': createCacheStore({ cache: onRedis, keys, users, timeoutMs: 1000 }),
      'memcached cache': createCacheStore({ cache: onMemcached, keys, users, timeoutMs: 1000 }),
      'redis cached_db': cacheFirst({ cache: onRedis, keys, db: users, timeoutMs: 500 }),
    };
  });
  after(async () => {
    await Promise.all(caches.map((cache) => cache.close()));
    await db?.close();
    await fixture?.close();
    await Promise.all([redis?.stop(), memcached?.stop()]);
  });

  for (const kind of ['redis cache', 'memcached cache', 'redis cached_db']) {
    describe(`${kind} store`, () => {
      it('finds a session: the dict the cache holds, decoded, with no expiry (the TTL was it)', async () => {
        const found = await stores[kind]?.findSession(key);
        assert.ok(found !== null && found !== undefined && 'cached' in found && found.cached.ok);
        assert.deepEqual({ ...found.cached.session }, session);
      });

      it('answers null for a session key with no entry, matching keys exactly', async () => {
        for (const other of ['nosuchkey0123456789abcdefghijklmn', key.toUpperCase(), key.slice(0, -1), `${key}x`]) {
          const found = await stores[kind]?.findSession(other);
          assert.equal(found, null, other);
        }
      });

      it('finds users in Django\'s database', async () => {
        assert.deepEqual(await stores[kind]?.findUser(alice.id), alice);
        assert.equal(await stores[kind]?.findUser(999_999n), null);
      });
    });
  }

  it('cached_db falls back to django_session on a miss, as Django\'s load() does', async () => {
    assert.deepEqual(await stores['redis cached_db']?.findSession(rowOnly.key), { sessionData: rowOnly.data, expireDate: rowOnly.expire });
  });

  it('the cache engine lets a cache that does not answer escape as an error; cached_db reads the database instead', async () => {
    const options = { timeoutMs: 300, maxBytes: 1_048_576 };
    const down = [createRedisCache('redis://127.0.0.1:1', { serializer: 'pickle', compressor: 'none' }, options), createMemcachedCache('memcached://127.0.0.1:1', options)];
    try {
      const users = createSqlStore(db.pool, tablesFromPrisma(db.prisma));
      for (const cache of down) {
        await assert.rejects(createCacheStore({ cache, keys, users, timeoutMs: 300 }).findSession(key), CacheUnavailableError);
      }
      const fallback = cacheFirst({ cache: down[0] as SessionCache, keys, db: users, timeoutMs: 200 });
      assert.deepEqual(await fallback.findSession(rowOnly.key), { sessionData: rowOnly.data, expireDate: rowOnly.expire });
    } finally {
      await Promise.all(down.map((cache) => cache.close()));
    }
  });
});

/**
 * DATABASE_REPLICA_URL reads through these same stores on a second pool (the replica routing is around the
 * verdict, src/sessions/replica.ts): on a hot standby, in recovery and read-only, they answer what they
 * answer on its primary, and a standby that is down is an error.
 */
packagedSuite('session store contract: on a hot standby (Debian PostgreSQL 15), the answers of its primary', missingPostgres15(), () => {
  let replication: Replication;
  let onPrimary: Record<StoreKind, SessionStore>;
  let onStandby: Record<StoreKind, SessionStore>;
  const opened: Database[] = [];
  const keys = ['nosuchkey0123456789abcdefghijklmn'];
  const ids = [0n, -1n, INT_MAX, INT_MAX + 1n];

  before(async () => {
    replication = await startReplication();
    await createDjangoDatabase(replication.primary.url('postgres'), 'django');
    const django = new pg.Client({ connectionString: replication.primary.url('django') });
    await django.connect();
    for (const fields of [{ username: 'alice', isStaff: true, email: 'a@example.com' }, { username: 'bob', isActive: false }, { username: 'zoë', firstName: 'Zoë' }]) {
      ids.push(BigInt(await insertUser(django, fields)));
    }
    keys.push(await insertSession(django, encodeSession({ visits: 1 }, 'k'), new Date('2031-02-03T04:05:06.789Z')));
    keys.push(await insertSession(django, 'e30:1mp3YQ:sig', new Date('2021-01-01T00:00:00.123Z')));
    await django.end();
    await replication.caughtUp();
    const primaryDb = openDatabase(replication.primary.url('django'));
    const standbyDb = openDatabase(replication.standby.url('django'));
    opened.push(primaryDb, standbyDb);
    onPrimary = storesOn(primaryDb);
    onStandby = storesOn(standbyDb);
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await replication?.destroy();
  });

  for (const kind of ['prisma', 'sql'] as const) {
    it(`${kind} store: every session and user as on the primary, and null where the primary has none`, async () => {
      for (const key of keys) assert.deepEqual(await onStandby[kind].findSession(key), await onPrimary[kind].findSession(key), key);
      for (const id of ids) assert.deepEqual(await onStandby[kind].findUser(id), await onPrimary[kind].findUser(id), String(id));
      assert.equal((await onStandby[kind].findUser(ids[4] as bigint))?.username, 'alice', 'the rows are there');
    });
  }

  it('a standby that is down is an error from either store, never null', async () => {
    await replication.standby.stop();
    for (const kind of ['prisma', 'sql'] as const) {
      await assert.rejects(onStandby[kind].findSession(keys[1] as string), kind);
      await assert.rejects(onStandby[kind].findUser(ids[4] as bigint), kind);
    }
  });
});
