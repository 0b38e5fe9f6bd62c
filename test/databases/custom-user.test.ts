import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import Sqlite from 'better-sqlite3';
import * as mariadb from 'mariadb';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { openMariaDb as createMariaDbDatabase } from '../../src/databases/mariadb.ts';
import type { DjangoDatabase } from '../../src/databases/open.ts';
import { openSqlite as createSqliteDatabase } from '../../src/databases/sqlite.ts';
import { mysqlConnection } from 'django-session-bridge';
import type { DjangoUser } from 'django-session-bridge/django';
import { createLogger } from '../../src/logger.ts';
import { storeFromConfig } from '../../src/sessions/from-config.ts';
import type { SessionStore } from 'django-session-bridge';
import { startupProblem } from '../../src/startup-check.ts';
import { djangoSessionUsers, logInUsers, manage, createUsers, type DjangoSiteSettings } from '../e2e/lib/django-site.ts';
import { missingPythonPackages } from '../e2e/lib/prerequisites.ts';
import { SECRET_KEY, testConfig } from '../helpers/app.ts';
import { newSessionKey } from '../helpers/django.ts';
import { generateClient, mysqlCustomUserSchema, pulledSchema, scratchClientDir, type GeneratedClient } from '../helpers/generated-client.ts';
import { mariadbSuite, type MariaDbServer } from '../helpers/mariadb-server.ts';
import { assertSchemaMatchesTables } from '../helpers/mysql-columns.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { tempDir } from '../helpers/spawned.ts';

const USER_TABLE = 'accounts_user';
const INT_MAX = 2n ** 31n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;
// Django's create_user continues the table's key from here: ids past 2^53, which a JavaScript number rounds.
const DJANGO_IDS_AFTER = BIGINT_MAX - 10n;
// Rows the test writes itself, with the ids of a table that has grown past the int range.
const OWN_IDS = [1n, INT_MAX + 1n, 2n ** 40n];
const PASSWORD = 'correct horse battery staple';
const DJANGO_PYTHON: [module: string, debianPackage: string][] = [['django', 'python3-django']];

type StoreKind = 'sql' | 'prisma';
type ScratchClient = GeneratedClient<PrismaMariaDb | PrismaBetterSqlite3>['PrismaClient'];

/** Django's database for a site whose AUTH_USER_MODEL is accounts.User (test/e2e/django_site/accounts). */
interface CustomUserDatabase {
  url: string;
  /** Makes the next row of accounts_user take the key after `id`. */
  continueIdsAfter(id: bigint): Promise<void>;
  run(sql: string, values: unknown[]): Promise<void>;
  /** The schema `npm run generate` gets on this database for DJANGO_USER_TABLE=accounts_user. */
  schema(dir: string): Promise<string>;
  /** The service's database, with the scratch client in place of the project's. */
  open(PrismaClient: ScratchClient): DjangoDatabase;
  close(): Promise<void>;
}

async function sqliteCustomUserDatabase(): Promise<CustomUserDatabase> {
  const dir = await tempDir('bridge-custom-user-');
  const file = join(dir, 'db.sqlite3');
  let writer: Sqlite.Database | undefined;
  const write = () => (writer ??= new Sqlite(file));
  const url = `file:${file}`;
  return {
    url,
    async continueIdsAfter(id) {
      // AUTOINCREMENT's counter: one row per table, there once the table has had a row.
      const updated = write().prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ?').run(id, USER_TABLE);
      if (updated.changes === 0) write().prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(USER_TABLE, id);
    },
    async run(sql, values) {
      write().prepare(sql).run(...values.map((value) => (typeof value === 'boolean' ? Number(value) : value)));
    },
    async schema(scratch) {
      return pulledSchema(url, USER_TABLE, scratch);
    },
    open(PrismaClient) {
      const base = createSqliteDatabase({ url, poolMax: 4, timeoutMs: 2000 });
      const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file, readonly: true, fileMustExist: true }) });
      return { ...base, prisma, close: async () => void (await Promise.all([prisma.$disconnect(), base.close()])) };
    },
    async close() {
      writer?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function mariadbCustomUserDatabase(server: () => MariaDbServer): () => Promise<CustomUserDatabase> {
  return async () => {
    const name = `custom_${randomBytes(5).toString('hex')}`;
    const { admin } = server();
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    const url = server().url(name);
    // Django's writes, as root in that database.
    const writer = mariadb.createPool({ ...mysqlConnection(url), connectionLimit: 1 });
    return {
      url,
      async continueIdsAfter(id) {
        await writer.query(`ALTER TABLE ${USER_TABLE} AUTO_INCREMENT = ${id + 1n}`);
      },
      async run(sql, values) {
        await writer.query(sql, values);
      },
      async schema() {
        const schema = mysqlCustomUserSchema(USER_TABLE, 'BigInt');
        const db = createMariaDbDatabase({ url, poolMax: 1, timeoutMs: 2000 });
        try {
          await assertSchemaMatchesTables(schema, db.pool);
        } finally {
          await db.close();
        }
        return schema;
      },
      open(PrismaClient) {
        const base = createMariaDbDatabase({ url, poolMax: 4, timeoutMs: 2000 });
        const prisma = new PrismaClient({ adapter: new PrismaMariaDb(base.pool) });
        return { ...base, prisma, close: async () => void (await Promise.all([prisma.$disconnect(), base.close()])) };
      },
      async close() {
        await writer.end();
        await admin.query(`DROP DATABASE \`${name}\``);
      },
    };
  };
}

function account(id: bigint, fields: Partial<DjangoUser> = {}): DjangoUser {
  return { id, password: `pbkdf2_sha256$260000$s${id}$h`, isActive: true, username: `user${id}`, firstName: '', lastName: '', email: '', isStaff: false, isSuperuser: false, ...fields };
}

/**
 * A custom AUTH_USER_MODEL (accounts.User: AbstractUser with a BigAutoField key) on MySQL/MariaDB and SQLite,
 * as on PostgreSQL (test/sessions/store-contract.test.ts): Django's migrate made the tables, Django's
 * create_user the users and Django's login() their sessions; the client comes from the schema each database
 * gets (db:pull on SQLite, the README's recipe on MySQL); both stores and the verdicts over HTTP, compared with
 * Django's own request.user.
 */
function customUser(openDatabase: () => Promise<CustomUserDatabase>): void {
  let database: CustomUserDatabase;
  let db: DjangoDatabase;
  let schema: string;
  let site: DjangoSiteSettings;
  let stores: Record<StoreKind, SessionStore>;
  const scratch = scratchClientDir();
  const keys: Record<string, string> = {};
  // Django's create_user gives them the next keys, in this order.
  const ids = { alice: DJANGO_IDS_AFTER + 1n, bob: DJANGO_IDS_AFTER + 2n, carol: DJANGO_IDS_AFTER + 3n, dora: DJANGO_IDS_AFTER + 4n };
  const own = OWN_IDS.map((id) => account(id, { firstName: 'Zoë', email: `u${id}@example.com` }));
  const env = (store: StoreKind) => ({ SESSION_STORE: store, DJANGO_USER_TABLE: USER_TABLE });

  before(async () => {
    database = await openDatabase();
    site = { databaseUrl: database.url, secretKey: SECRET_KEY, env: { DJANGO_AUTH_USER_MODEL: 'accounts.User' } };
    await manage(site, ['migrate', '-v', '0']);
    for (const user of own) {
      await database.run(
        `INSERT INTO ${USER_TABLE} (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [user.id, user.password, user.isSuperuser, user.username, user.firstName, user.lastName, user.email, user.isStaff, user.isActive, '2024-01-01 00:00:00.000000'],
      );
    }
    await database.continueIdsAfter(DJANGO_IDS_AFTER);
    await createUsers(site, { active: ['alice', 'bob', 'carol'], inactive: ['dora'], password: PASSWORD });
    Object.assign(keys, await logInUsers(site, ['alice', 'bob', 'carol'], PASSWORD));
    const generated = await generateClient<PrismaMariaDb | PrismaBetterSqlite3>(await database.schema(scratch), scratch);
    schema = generated.schema;
    db = database.open(generated.PrismaClient);
    stores = { sql: storeFromConfig(testConfig(database.url, env('sql')), db), prisma: storeFromConfig(testConfig(database.url, env('prisma')), db) };
    // What Django's admin does after those log-ins: bob deactivated, carol's password changed.
    await database.run(`UPDATE ${USER_TABLE} SET is_active = ? WHERE username = ?`, [false, 'bob']);
    await database.run(`UPDATE ${USER_TABLE} SET password = ? WHERE username = ?`, ['pbkdf2_sha256$260000$newsalt$changed=', 'carol']);
  });
  after(async () => {
    await db?.close();
    await database?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the schema maps the model auth_user onto accounts_user, with a BigInt id, and its join tables likewise', () => {
    assert.match(schema, /model auth_user \{[^}]*\bid\s+BigInt\s+@id[^}]*@@map\("accounts_user"\)/);
    assert.match(schema, /model auth_user_groups \{[^}]*\buser_id\s+BigInt[^}]*@@map\("accounts_user_groups"\)/);
    assert.match(schema, /model auth_user_user_permissions \{[^}]*\buser_id\s+BigInt[^}]*@@map\("accounts_user_user_permissions"\)/);
  });

  it('the start-up check passes on it, with DJANGO_USER_TABLE', async () => {
    for (const store of ['sql', 'prisma'] as const) assert.equal(await startupProblem(testConfig(database.url, env(store)), db), null, store);
  });

  for (const kind of ['prisma', 'sql'] as const) {
    describe(`${kind} store`, () => {
      it('finds the users Django created, by ids past 2^53, with every field', async () => {
        const alice = await stores[kind].findUser(ids.alice);
        assert.match(alice?.password ?? '', /^pbkdf2_sha256\$260000\$/, "Django's own hash");
        assert.deepEqual(alice, account(ids.alice, { username: 'alice', password: alice?.password }));
        assert.deepEqual(await stores[kind].findUser(ids.carol), account(ids.carol, { username: 'carol', password: 'pbkdf2_sha256$260000$newsalt$changed=' }));
      });

      it('finds users by ids inside and beyond the int range', async () => {
        for (const user of own) assert.deepEqual(await stores[kind].findUser(user.id), user, String(user.id));
      });

      it('returns inactive users too (is_active is the backend\'s rule, not the store\'s)', async () => {
        assert.equal((await stores[kind].findUser(ids.bob))?.isActive, false);
        assert.equal((await stores[kind].findUser(ids.dora))?.isActive, false);
      });

      it('answers null for ids with no user, and for ids outside the bigint range, without a query error', async () => {
        for (const id of [0n, -1n, 2n, INT_MAX, BIGINT_MAX, -BIGINT_MAX - 1n, BIGINT_MAX + 1n, -BIGINT_MAX - 2n, 10n ** 30n]) {
          assert.equal(await stores[kind].findUser(id), null, String(id));
        }
        assert.equal((await stores[kind].findUser(2n ** 40n))?.id, 2n ** 40n, 'the store still answers afterwards');
      });

      it('finds the sessions Django\'s login() wrote, and no other', async () => {
        const found = await stores[kind].findSession(keys.alice as string);
        assert.ok(found && 'sessionData' in found && found.expireDate.getTime() > Date.now() + 13 * 24 * 3600_000, 'two weeks ahead');
        assert.equal(await stores[kind].findSession(newSessionKey()), null);
      });

      it('the verdicts over HTTP are Django\'s own request.user: logged in, password changed, deactivated, unknown', async () => {
        const app = createApp({ config: testConfig(database.url, env(kind)), db, logger: createLogger('silent') });
        const cookies = { alice: keys.alice as string, carol: keys.carol as string, bob: keys.bob as string, unknown: newSessionKey() };
        const django = await djangoSessionUsers(site, Object.values(cookies));
        for (const [name, cookie] of Object.entries(cookies)) {
          const { body } = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${cookie}`).expect(200);
          const verdict = { authenticated: body.loggedIn as boolean, id: body.user ? String(body.user.id) : null };
          assert.deepEqual(verdict, django[cookie], name);
        }
        assert.deepEqual(django[cookies.alice], { authenticated: true, id: String(ids.alice) }, 'Django: alice is logged in');
        for (const name of ['carol', 'bob', 'unknown'] as const) assert.equal(django[cookies[name]]?.authenticated, false, `Django: ${name} is not`);
        const { body } = await request(app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${cookies.alice}`).expect(200);
        assert.deepEqual(body.user, { id: String(ids.alice), username: 'alice', isStaff: false, isSuperuser: false, permissions: [], groups: [] });
      });
    });
  }
}

packagedSuite('a custom user model (accounts.User, bigint key) on SQLite, as Django made it', missingPythonPackages(DJANGO_PYTHON), () => {
  customUser(sqliteCustomUserDatabase);
});

mariadbSuite('a custom user model (accounts.User, bigint key) on MariaDB, as Django made it', (server) => {
  customUser(mariadbCustomUserDatabase(server));
}, missingPythonPackages([...DJANGO_PYTHON, ['MySQLdb', 'python3-mysqldb']]));
