import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as inspect } from '../../scripts/session-inspect.ts';
import { main as stats } from '../../scripts/session-stats.ts';
import { SECRET_KEY } from '../helpers/app.ts';
import { mariadbDjangoDb, sqliteDjangoDb, type DjangoDb } from '../helpers/django-databases.ts';
import { encodeSession, loginSession } from '../helpers/django.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';
import { captureOutput } from '../helpers/tool-output.ts';

/** session:inspect and session:stats on MySQL/MariaDB and SQLite, as on PostgreSQL (test/scripts/). */
function tools(openDjango: () => Promise<DjangoDb>): void {
  let django: DjangoDb;
  let env: Record<string, string>;
  const keys: string[] = [];
  before(async () => {
    django = await openDjango();
    env = { DATABASE_URL: django.url, DJANGO_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'silent' };
    const alice = await django.insertUser({ username: 'alice' });
    const login = encodeSession(loginSession(alice, await django.userPassword(alice), SECRET_KEY), SECRET_KEY);
    keys.push(await django.insertSession(login));
    keys.push(await django.insertSession(login, new Date(Date.now() + 60_000)));
    keys.push(await django.insertSession(encodeSession({ cart: [] }, SECRET_KEY)));
    keys.push(await django.insertSession(login, new Date(Date.now() - 60_000)));
  });
  after(() => django?.close());

  it('session:inspect explains a logged-in session (exit 0) and an expired one (exit 1)', async () => {
    const out = captureOutput();
    assert.equal(await inspect([keys[0] as string], env, out), 0, out.err());
    assert.match(out.out(), /alice/);
    assert.equal(await inspect(['--json', keys[3] as string], env, captureOutput()), 1);
  });

  it('session:stats counts the unexpired sessions, one expiring within the minute among them, and the expired one', async () => {
    const out = captureOutput();
    assert.equal(await stats(['--json'], env, out), 0, out.err());
    const report = JSON.parse(out.out()) as { sessions: number; expired: number };
    assert.equal(report.sessions, 3);
    assert.equal(report.expired, 1);
  });
}

describe('the tools on SQLite', () => {
  tools(() => sqliteDjangoDb('delete'));
});

mariadbSuite('the tools on MariaDB', (server) => {
  tools(() => mariadbDjangoDb(server()));
});
