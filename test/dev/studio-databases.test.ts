import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { studioUrl } from '../../src/dev/studio-url.ts';
import { SECRET_KEY } from '../helpers/app.ts';
import { mariadbDjangoDb, sqliteDjangoDb, type DjangoDb } from '../helpers/django-databases.ts';
import { encodeSession, loginSession } from '../helpers/django.ts';
import { freePort } from '../helpers/listen.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';
import { cleanEnv, groupGone, spawnGroup, tempDir } from '../helpers/spawned.ts';

describe('studioUrl: DATABASE_URL as Prisma Studio opens it', () => {
  it('gives every SQLite form as file:// and an absolute path, unencoded (Studio does not decode it)', () => {
    assert.equal(studioUrl('file:/srv/db.sqlite3', '/app'), 'file:///srv/db.sqlite3');
    assert.equal(studioUrl('file:///srv/my db.sqlite3', '/app'), 'file:///srv/my db.sqlite3');
    assert.equal(studioUrl('sqlite:/srv/db.sqlite3', '/app'), 'file:///srv/db.sqlite3');
    assert.equal(studioUrl('file:data/db.sqlite3?mode=ro', '/app'), 'file:///app/data/db.sqlite3');
  });

  it('gives mariadb:// as mysql://, and leaves mysql:// and postgresql:// as they are', () => {
    assert.equal(studioUrl('mariadb://reader:p%40ss@db:3307/django', '/app'), 'mysql://reader:p%40ss@db:3307/django');
    assert.equal(studioUrl('mysql://reader@db/django', '/app'), 'mysql://reader@db/django');
    assert.equal(studioUrl('postgresql://reader@db/django', '/app'), 'postgresql://reader@db/django');
  });
});

interface Bff {
  sql(sql: string): Promise<unknown>;
}

/** `npm run studio` on DATABASE_URL, until the test is over; its /bff API as Studio's own page calls it. */
async function withStudio(databaseUrl: string, use: (studio: Bff) => Promise<void>): Promise<void> {
  const port = await freePort();
  const studio = spawnGroup('npm', ['run', 'studio', '--', '--port', String(port)], cleanEnv({ DATABASE_URL: databaseUrl }));
  try {
    await studio.waitFor(/Prisma Studio is running at/, 90_000);
    await use({
      async sql(sql) {
        const response = await fetch(`http://localhost:${port}/bff`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ procedure: 'query', query: { sql, parameters: [] } }),
        });
        assert.equal(response.status, 200);
        return response.json();
      },
    });
  } finally {
    studio.kill('SIGTERM', 'group');
    await studio.exited;
    assert.ok(await groupGone(studio, 20_000), `processes left behind:\n${studio.output()}`);
  }
}

/** Studio on one of Django's databases, given in the URL form a user writes (mariadb://, sqlite:). */
function studioOn(openDjango: () => Promise<DjangoDb>, asUserWrites: (url: string) => string): void {
  let django: DjangoDb;
  const keys: string[] = [];
  before(async () => {
    django = await openDjango();
    const alice = await django.insertUser({ username: 'alice' });
    keys.push(await django.insertSession(encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY)));
    keys.push(await django.insertSession(encodeSession({ cart: [1] }, SECRET_KEY)));
    keys.sort();
  });
  after(() => django?.close());

  it('`npm run studio` serves, and its API reads the django_session rows and the users', async () => {
    await withStudio(asUserWrites(django.url), async (studio) => {
      assert.deepEqual(await studio.sql('SELECT session_key FROM django_session ORDER BY session_key'), [null, keys.map((key) => ({ session_key: key }))]);
      assert.deepEqual(await studio.sql('SELECT username FROM auth_user'), [null, [{ username: 'alice' }]]);
    });
  });
}

describe('`npm run studio` on SQLite', () => {
  studioOn(() => sqliteDjangoDb('delete'), (url) => url.replace(/^file:/, 'sqlite:'));

  it('refuses a SQLite file that is not there, rather than letting Studio create an empty one', async () => {
    const dir = await tempDir('bridge-studio-sqlite-');
    const missing = join(dir, 'db.sqlite3');
    try {
      const studio = spawnGroup('npm', ['run', 'studio', '--', '--port', String(await freePort())], cleanEnv({ DATABASE_URL: `file:${missing}` }));
      assert.equal((await studio.exited).code, 1);
      assert.match(studio.output(), /No SQLite database at .*db\.sqlite3/);
      assert.equal(existsSync(missing), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

mariadbSuite('`npm run studio` on MariaDB', (server) => {
  studioOn(() => mariadbDjangoDb(server()), (url) => url.replace(/^mysql:/, 'mariadb:'));
});
