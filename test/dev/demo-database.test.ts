import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDemoDatabase, type DemoDatabase } from '../../src/dev/demo-database.ts';
import { DEMO_PASSWORD } from '../../src/dev/demo-users.ts';
import { loadDemoState, postgresDir } from '../../src/dev/demo-state.ts';
import { isAlive, runningPostmaster, stopPostmaster } from '../../src/dev/postmaster.ts';
import { cleanEnv, groupGone, spawnGroup, tempDir } from '../helpers/spawned.ts';

const ITERATIONS = 1000;

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function verifies(password: string, encoded: string): boolean {
  const [, iterations, salt, hash] = encoded.split('$');
  return pbkdf2Sync(password, salt as string, Number(iterations), 32, 'sha256').toString('base64') === hash;
}

describe('the demo database (embedded PostgreSQL in a data directory)', () => {
  let dataDir: string;
  const open = async () => openDemoDatabase({ dataDir, state: await loadDemoState(dataDir), passwordIterations: ITERATIONS });

  before(async () => {
    dataDir = join(await tempDir('bridge-demo-db-'), 'data');
  });
  after(async () => {
    const left = runningPostmaster(postgresDir(dataDir));
    if (left) await stopPostmaster(left.pid);
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('creates Django\'s tables (from the schema fixture) and the demo users in a fresh directory', async () => {
    const demo = await open();
    try {
      assert.equal(demo.startedHere, true);
      assert.match(demo.url, /^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/django_demo$/);
      const tables = await query<{ name: string }>(demo.url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
      for (const table of ['django_session', 'auth_user', 'django_migrations', 'auth_group']) {
        assert.ok(tables.some((row) => row.name === table), table);
      }
      const users = await query<{ username: string; is_active: boolean; password: string }>(demo.url, 'SELECT username, is_active, password FROM auth_user ORDER BY id');
      assert.deepEqual(users.map((user) => [user.username, user.is_active]), [['alice', true], ['bob', true], ['carol', false]]);
      for (const user of users) {
        assert.match(user.password, /^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$/);
        assert.ok(verifies(DEMO_PASSWORD, user.password), user.username);
      }
      const perms = await query<{ username: string; perm: string }>(
        demo.url,
        `SELECT u.username, ct.app_label || '.' || p.codename AS perm FROM auth_user u
           JOIN auth_user_groups ug ON ug.user_id = u.id JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
           JOIN auth_permission p ON p.id = gp.permission_id JOIN django_content_type ct ON ct.id = p.content_type_id
         UNION
         SELECT u.username, ct.app_label || '.' || p.codename FROM auth_user u
           JOIN auth_user_user_permissions up ON up.user_id = u.id JOIN auth_permission p ON p.id = up.permission_id
           JOIN django_content_type ct ON ct.id = p.content_type_id
         ORDER BY 1, 2`,
      );
      assert.deepEqual(perms.map((row) => `${row.username} ${row.perm}`), [
        'alice demo.add_article',
        'alice demo.change_article',
        'alice demo.publish_article',
        'alice demo.view_article',
      ]);
      // The server's password and the demo's secret key are readable by their owner only.
      assert.equal(statSync(join(dataDir, 'demo.json')).mode & 0o777, 0o600);
    } finally {
      await demo.close();
    }
    assert.equal(existsSync(join(postgresDir(dataDir), 'postmaster.pid')), false, 'close() stops the server');
  });

  it('starts again on an initialised directory, keeping what it holds', async () => {
    const first = await open();
    const usersBefore = await query(first.url, 'SELECT id, username, password FROM auth_user ORDER BY id');
    await query(first.url, "INSERT INTO django_session VALUES ('keptacrossrestarts00000000000000', 'x', now() + interval '1 day')");
    await first.close();

    const second = await open();
    try {
      assert.equal(second.startedHere, true);
      assert.deepEqual(await query(second.url, 'SELECT id, username, password FROM auth_user ORDER BY id'), usersBefore);
      assert.equal((await query(second.url, "SELECT 1 FROM django_session WHERE session_key = 'keptacrossrestarts00000000000000'")).length, 1);
    } finally {
      await second.close();
    }
  });

  it('joins the server a running demo process owns, and takes over one whose process was killed', async () => {
    const dev = spawnGroup(process.execPath, ['--import', 'tsx', 'src/dev/main.ts'], cleanEnv({ DEMO_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
    let joined: DemoDatabase | undefined;
    try {
      await dev.waitFor(/Open\s+http/, 60_000);
      const owned = runningPostmaster(postgresDir(dataDir));
      assert.ok(owned);

      joined = await open();
      assert.equal(joined.startedHere, false);
      assert.ok(joined.url.includes(`:${owned.port}/`));
      await joined.close();
      assert.ok(isAlive(owned.pid), 'closing a joined database leaves the owner\'s server running');
      assert.equal((await query(joined.url, 'SELECT count(*)::int AS n FROM auth_user'))[0]?.n, 3);

      // SIGKILL runs no handler: the server outlives its demo process.
      dev.kill('SIGKILL', 'process');
      await dev.exited;
      assert.ok(isAlive(owned.pid));

      const recovered = await open();
      try {
        assert.equal(recovered.startedHere, true);
        assert.equal(isAlive(owned.pid), false, 'the orphaned server was stopped');
        assert.equal((await query(recovered.url, 'SELECT count(*)::int AS n FROM auth_user'))[0]?.n, 3);
      } finally {
        await recovered.close();
      }
    } finally {
      dev.kill('SIGKILL', 'group');
      await groupGone(dev, 5000);
    }
  });
});
