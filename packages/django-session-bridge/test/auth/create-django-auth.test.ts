import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createDjangoAuth, djangoAuthFromEnv, DjangoAuthUnavailableError, ConfigError, type DjangoAuth } from '../../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { encodeSession, insertSession, insertUser, loginSession } from '../../../../test/helpers/django.ts';

const SECRET = 'library-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

describe('createDjangoAuth', () => {
  let database: TestDatabase;
  let django: pg.Pool;
  let auth: DjangoAuth;
  let loggedInKey: string;
  let anonymousKey: string;

  before(async () => {
    database = await createTestDatabase();
    django = new pg.Pool({ connectionString: database.url, max: 2 });
    const password = 'pbkdf2_sha256$260000$salt$hash=';
    const id = await insertUser(django, { username: 'ada', password, firstName: 'Ada', email: 'ada@example.com' });
    loggedInKey = await insertSession(django, encodeSession(loginSession(id, password, SECRET), SECRET));
    anonymousKey = await insertSession(django, encodeSession({ visits: 3 }, SECRET));
    auth = createDjangoAuth({ databaseUrl: database.url, secretKey: SECRET, djangoVersion: '3.2' });
  });
  after(async () => {
    await auth.close();
    await django.end();
    await database.drop();
  });

  test('reads the cookie from a header string, a Web Request, Headers and an IncomingMessage', async () => {
    const header = `csrftoken=x; sessionid=${loggedInKey}`;
    const inputs = [header, new Request('http://localhost/', { headers: { cookie: header } }), new Headers({ cookie: header }), { headers: { cookie: header } } as IncomingMessage];
    for (const input of inputs) {
      const verdict = await auth.authenticate(input);
      assert.equal(verdict.loggedIn, true);
      assert.equal(verdict.reason, 'logged_in');
      assert.equal(verdict.user?.username, 'ada');
      assert.equal(verdict.user?.firstName, 'Ada');
      assert.equal(await verdict.user?.hasPerm('auth.add_user'), false);
      assert.deepEqual(await verdict.user?.groups(), []);
    }
  });

  test('a real IncomingMessage from node:http', async () => {
    const server = createServer((req, res) => {
      auth.authenticate(req).then((verdict) => res.end(verdict.user?.username ?? 'anonymous'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const named = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: `sessionid=${loggedInKey}` } })).text();
    const nobody = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    server.close();
    assert.equal(named, 'ada');
    assert.equal(nobody, 'anonymous');
  });

  test('a session row without a login, no cookie and a malformed key are anonymous, never logged in', async () => {
    assert.equal((await auth.authenticate(`sessionid=${anonymousKey}`)).reason, 'anonymous');
    assert.equal((await auth.authenticate(undefined)).reason, 'no_cookie');
    assert.equal((await auth.authenticate('')).reason, 'no_cookie');
    assert.equal((await auth.authenticate('sessionid=NOT*A*KEY')).reason, 'malformed_key');
    assert.equal((await auth.authenticate(`sessionid=${'a'.repeat(32)}`)).reason, 'no_row');
    assert.deepEqual((await auth.authenticate(`sessionid=${anonymousKey}`)).session, { visits: 3 });
  });

  test('the JSON of a user has no methods and no password', async () => {
    const { user } = await auth.authenticate(`sessionid=${loggedInKey}`);
    const json = JSON.parse(JSON.stringify(user));
    assert.deepEqual(Object.keys(json).sort(), ['email', 'firstName', 'id', 'isActive', 'isStaff', 'isSuperuser', 'lastName', 'username']);
  });

  test('a database that does not answer rejects with DjangoAuthUnavailableError (503) within timeoutMs', async () => {
    // A port nothing listens on refuses at once; a black-hole address is what tests the deadline.
    const silent = createServer();
    silent.on('connection', () => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const down = createDjangoAuth({ databaseUrl: `postgresql://nobody@127.0.0.1:${port}/none`, secretKey: SECRET, timeoutMs: 300 });
    const started = Date.now();
    const failure = await down.authenticate(`sessionid=${loggedInKey}`).then(() => null, (error: unknown) => error);
    const took = Date.now() - started;
    await down.close();
    silent.close();
    assert.ok(failure instanceof DjangoAuthUnavailableError, String(failure));
    assert.equal(failure.status, 503);
    assert.equal(failure.statusCode, 503);
    assert.equal(failure.source, 'database');
    assert.ok(took < 1500, `took ${took} ms`);
  });

  test('ping() makes the lookups and rejects as unavailable when they fail', async () => {
    await auth.ping();
    const down = createDjangoAuth({ databaseUrl: 'postgresql://nobody@127.0.0.1:1/none', secretKey: SECRET, timeoutMs: 300 });
    await assert.rejects(down.ping(), DjangoAuthUnavailableError);
    await down.close();
  });

  test('events report each verdict and each outage', async () => {
    const reasons: string[] = [];
    const outages: string[] = [];
    const watched = createDjangoAuth({
      databaseUrl: database.url,
      secretKey: SECRET,
      events: { onVerdict: (reason) => reasons.push(reason), onUnavailable: (error) => outages.push(error.source) },
    });
    await watched.authenticate(`sessionid=${loggedInKey}`);
    await watched.authenticate(undefined);
    await watched.close();
    assert.deepEqual(reasons, ['logged_in', 'no_cookie']);
    assert.deepEqual(outages, []);
  });

  test('djangoAuthFromEnv reads the service variables, and names a bad one', async () => {
    const fromEnv = djangoAuthFromEnv({ DATABASE_URL: database.url, DJANGO_SECRET_KEY: SECRET, DJANGO_VERSION: '3.2' });
    assert.equal((await fromEnv.authenticate(`sessionid=${loggedInKey}`)).user?.username, 'ada');
    assert.equal(fromEnv.config.sessionCookieName, 'sessionid');
    assert.equal(fromEnv.config.loginUrl, '/accounts/login/');
    await fromEnv.close();
    assert.throws(() => djangoAuthFromEnv({ DATABASE_URL: database.url, DJANGO_SECRET_KEY: SECRET, DB_TIMEOUT_MS: 'soon' }), (error: unknown) => error instanceof ConfigError && /^DB_TIMEOUT_MS must be a whole number/.test(error.message));
    assert.throws(() => createDjangoAuth({ secretKey: '' }), /^ConfigError: secretKey is required/);
  });

  test('a closed instance refuses to read', async () => {
    const closing = createDjangoAuth({ databaseUrl: database.url, secretKey: SECRET });
    await closing.close();
    await assert.rejects(closing.authenticate(`sessionid=${loggedInKey}`), DjangoAuthUnavailableError);
  });
});
