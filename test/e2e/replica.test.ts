import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { createDjangoDatabase } from '../helpers/database.ts';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { withSources } from '../helpers/read-sources.ts';
import { missingPostgres15, startReplication, type Replication } from '../helpers/standby.ts';
import { createUsers, installedDjangoVersion, logInThroughDjango, postDjangoForm, setCookie, startGunicorn } from './lib/django-site.ts';
import { startNodeService } from './lib/node-service.ts';
import { missingPackages } from './lib/prerequisites.ts';
import { Supervisor } from './lib/processes.ts';

const LOGS = fileURLToPath(new URL('../../test-artifacts/e2e/logs/replica', import.meta.url));

/**
 * Django's own log-in, password change and log-out (Debian's Django under gunicorn, on the primary) while the
 * standby's replay is paused: what the service says through its replica, and who decided.
 */
packagedSuite('a lagging physical standby next to real Django on its primary', [...missingPackages(['django']), ...missingPostgres15()], () => {
  let replication: Replication;
  let supervisor: Supervisor;
  let django: string;
  let service: string;
  const password = randomBytes(12).toString('base64url');

  async function me(sessionid: string): Promise<string | null> {
    const res = await fetch(`${service}/elixir/api/me`, { headers: { Cookie: `sessionid=${sessionid}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { user: { username: string } | null }).user?.username ?? null;
  }

  /** Django's own verdict for the same cookie: its home page. */
  async function djangoSays(sessionid: string): Promise<string | null> {
    const html = await (await fetch(`${django}/`, { headers: { Cookie: `sessionid=${sessionid}` } })).text();
    return /id="django-username">([^<]*)</.exec(html)?.[1] ?? null;
  }

  /** The service's answer and which source it added to. */
  async function meFrom(sessionid: string): Promise<[string | null, string]> {
    const { result, by } = await withSources(async () => (await fetch(`${service}/elixir/metrics`)).text(), () => me(sessionid));
    return [result, Object.keys(by).join(',')];
  }

  async function whilePaused(work: () => Promise<void>): Promise<void> {
    await replication.pauseReplay();
    try {
      await work();
    } finally {
      await replication.resumeReplay();
    }
    await replication.caughtUp();
  }

  before(async () => {
    replication = await startReplication();
    await createDjangoDatabase(replication.primary.url('postgres'), 'django');
    supervisor = new Supervisor(LOGS);
    const settings = { databaseUrl: replication.primary.url('django'), secretKey: randomBytes(32).toString('hex'), djangoVersion: installedDjangoVersion() };
    await createUsers(settings, { active: ['alice', 'bob'], inactive: [], password });
    django = `http://${await startGunicorn(supervisor, settings)}`;
    const env = { DATABASE_REPLICA_URL: replication.standby.url('django'), DB_TIMEOUT_MS: '3000' };
    service = `http://${await startNodeService(supervisor, 'node', { ...settings, basePath: '/elixir', env })}`;
    await replication.caughtUp();
  });
  after(async () => {
    await supervisor?.stopAll();
    await replication?.destroy();
  });

  it('a log-in through Django\'s form while replay is paused: logged in at once, by the primary; by the replica once replayed', async () => {
    let sessionid = '';
    await whilePaused(async () => {
      sessionid = await logInThroughDjango(django, 'alice', password);
      assert.deepEqual(await meFrom(sessionid), ['alice', 'fallback']);
    });
    assert.deepEqual(await meFrom(sessionid), ['alice', 'replica']);
  });

  it('a password change through Django\'s form while paused: the session Django hands back is logged in by the primary', async () => {
    const before = await logInThroughDjango(django, 'bob', password);
    await replication.caughtUp();
    let after = '';
    await whilePaused(async () => {
      const changed = await postDjangoForm(django, '/accounts/password_change/', { old_password: password, new_password1: `${password}-2`, new_password2: `${password}-2` }, before);
      assert.equal(changed.status, 302, 'Django accepted the new password');
      after = setCookie(changed, 'sessionid') ?? '';
      assert.ok(after !== '' && after !== before, 'update_session_auth_hash() cycled the key');
      assert.deepEqual(await meFrom(after), ['bob', 'fallback']);
      assert.equal(await djangoSays(before), null, 'Django: the old key is gone');
      assert.deepEqual(await meFrom(before), ['bob', 'replica'], 'the staleness bound: the replica still has the old row');
    });
    assert.deepEqual(await meFrom(before), [null, 'fallback']);
    assert.deepEqual(await meFrom(after), ['bob', 'replica']);
  });

  it('a log-out through Django while paused: still logged in here until the replica replays it (the staleness bound)', async () => {
    const sessionid = await logInThroughDjango(django, 'alice', password);
    await replication.caughtUp();
    await whilePaused(async () => {
      const out = await fetch(`${django}/accounts/logout/`, { headers: { Cookie: `sessionid=${sessionid}` }, redirect: 'manual' });
      assert.equal(out.status, 302);
      assert.equal(await djangoSays(sessionid), null, 'Django: logged out');
      assert.deepEqual(await meFrom(sessionid), ['alice', 'replica']);
    });
    assert.deepEqual(await meFrom(sessionid), [null, 'fallback']);
  });
}, 150_000);
