import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createDjangoAuth, DjangoAuthUnavailableError, NotLoggedInError, WritesDisabledError, type DjangoAuth } from '../../src/index.ts';
import { checkPassword, decodeSessionData, makePassword, passwordHashers, pbkdf2Hasher, sessionAuthHash } from '../../src/django/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { encodeSession, insertSession, insertUser, loginSession, newSessionKey } from '../../../../test/helpers/django.ts';

const SECRET = 'library-writes-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';
const FAST = [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 1000 }), pbkdf2Hasher({ algorithm: 'pbkdf2_sha1', iterations: 1000 })];
const hashers = passwordHashers({ djangoVersion: '5.2', hashers: FAST });
const ROLE_SQL = {
  writer: new URL('../../../../docs/write-role.sql', import.meta.url),
  reader: new URL('../../../../docs/read-only-role.sql', import.meta.url),
};

/** A docs/*.sql file as psql would run it, for this role, password and database. */
function roleStatements(file: URL, template: string, role: string, password: string, database: string): string {
  return readFileSync(file, 'utf8')
    .replace(/^--.*$/gm, '')
    .replaceAll(":'password'", `'${password}'`)
    .replaceAll(template, `"${role}"`)
    .replaceAll('ON DATABASE django ', `ON DATABASE "${database}" `);
}

function roleUrl(base: string, role: string, password: string): string {
  const url = new URL(base);
  url.username = role;
  url.password = password;
  return url.toString();
}

function cookieValue(setCookie: string, name = 'sessionid'): string {
  const match = new RegExp(`^${name}=([^;]*)`).exec(setCookie);
  assert.ok(match, setCookie);
  return match[1]!;
}

describe('the write side: login(), logout(), changePassword() as Django does them', () => {
  let database: TestDatabase;
  let admin: pg.Pool;
  let auth: DjangoAuth;
  let readOnly: DjangoAuth;
  let readerUrl: string;
  const roles = { writer: `bridge_w_${randomBytes(4).toString('hex')}`, reader: `bridge_r_${randomBytes(4).toString('hex')}` };
  const password = randomBytes(12).toString('hex');
  const ids: Record<'alice' | 'bob' | 'carol' | 'dave', number> = { alice: 0, bob: 0, carol: 0, dave: 0 };

  before(async () => {
    database = await createTestDatabase();
    admin = new pg.Pool({ connectionString: database.url, max: 2 });
    await admin.query(roleStatements(ROLE_SQL.writer, 'django_writer', roles.writer, password, database.name));
    await admin.query(roleStatements(ROLE_SQL.reader, 'django_readonly', roles.reader, password, database.name));
    ids.alice = await insertUser(admin, { username: 'alice', password: await makePassword('alice-pw', hashers) });
    ids.bob = await insertUser(admin, { username: 'bob', password: await makePassword('bob-pw', hashers), isActive: false });
    // An outdated hash: fewer iterations than the configured hasher's, so a log-in re-hashes it.
    ids.carol = await insertUser(admin, { username: 'carol', password: await makePassword('carol-pw', passwordHashers({ djangoVersion: '5.2', hashers: [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 10 })] })) });
    ids.dave = await insertUser(admin, { username: 'dave', password: await makePassword('dave-pw', hashers) });
    readerUrl = roleUrl(database.url, roles.reader, password);
    const common = { databaseUrl: readerUrl, secretKey: SECRET, djangoVersion: '5.2', passwordHashers: FAST };
    auth = createDjangoAuth({ ...common, databaseWriteUrl: roleUrl(database.url, roles.writer, password) });
    readOnly = createDjangoAuth(common);
  });
  after(async () => {
    await auth.close();
    await readOnly.close();
    await admin.end();
    await database.drop();
    const client = new pg.Client({ connectionString: database.adminUrl });
    await client.connect();
    await client.query(`DROP ROLE IF EXISTS "${roles.writer}"`);
    await client.query(`DROP ROLE IF EXISTS "${roles.reader}"`);
    await client.end();
  });

  async function sessionCount(): Promise<number> {
    return Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM django_session')).rows[0]!.n);
  }

  it('without DATABASE_WRITE_URL, every write rejects naming it, and nothing is written', async () => {
    const before = await sessionCount();
    const key = await insertSession(admin, encodeSession({ cart: [1] }, SECRET));
    const cookie = `sessionid=${key}`;
    const fakeUser = { id: 1, username: 'x', firstName: '', lastName: '', email: '', isActive: true, isStaff: false, isSuperuser: false, backend: 'b' };
    for (const attempt of [readOnly.checkCredentials('alice', 'alice-pw'), readOnly.login(cookie, fakeUser), readOnly.logout(cookie), readOnly.changePassword(cookie, { oldPassword: 'a', newPassword1: 'b', newPassword2: 'b' })]) {
      await assert.rejects(attempt, (error: unknown) => error instanceof WritesDisabledError && /DATABASE_WRITE_URL/.test(error.message));
    }
    assert.equal(await sessionCount(), before + 1);
  });

  it('a write database that does not answer is a 503 (DjangoAuthUnavailableError), reported, never a log-in', async () => {
    const reported: unknown[] = [];
    const down = createDjangoAuth({
      databaseUrl: readerUrl, secretKey: SECRET, djangoVersion: '5.2', passwordHashers: FAST, timeoutMs: 500,
      databaseWriteUrl: 'postgresql://nobody:x@127.0.0.1:1/django', events: { onUnavailable: (error) => reported.push(error) },
    });
    try {
      const dave = await down.checkCredentials('dave', 'dave-pw');
      assert.ok(dave, 'checking a current hash writes nothing, so it needs no write connection');
      for (const attempt of [() => down.login(undefined, dave), () => down.logout('sessionid=abcdefgh12345678'), () => down.checkCredentials('carol', 'carol-pw')]) {
        await assert.rejects(attempt, (error: unknown) => error instanceof DjangoAuthUnavailableError && error.status === 503 && error.source === 'database');
      }
      assert.equal(reported.length, 3);
      await assert.rejects(down.changePassword(undefined, { oldPassword: 'a', newPassword1: 'b', newPassword2: 'b' }), NotLoggedInError);
    } finally {
      await down.close();
    }
  });

  it('a session cache that does not answer is a 503 whose source is the cache', async () => {
    for (const cacheUrl of ['redis://127.0.0.1:1', 'memcached://127.0.0.1:1']) {
      const down = createDjangoAuth({
        databaseUrl: readerUrl, secretKey: SECRET, djangoVersion: '5.2', passwordHashers: FAST, timeoutMs: 500,
        databaseWriteUrl: roleUrl(database.url, roles.writer, password), sessionEngine: 'cache', cacheUrl,
      });
      try {
        const dave = await down.checkCredentials('dave', 'dave-pw');
        assert.ok(dave);
        await assert.rejects(down.login(undefined, dave), (error: unknown) => error instanceof DjangoAuthUnavailableError && error.source === 'cache', cacheUrl);
      } finally {
        await down.close();
      }
    }
  });

  it('the read-only role still cannot write', async () => {
    const reader = new pg.Client({ connectionString: readerUrl });
    await reader.connect();
    try {
      await assert.rejects(reader.query("INSERT INTO django_session VALUES ('k0123456789', 'x', now())"), /read-only transaction|permission denied/);
      await assert.rejects(reader.query(`UPDATE auth_user SET last_login = now() WHERE id = ${ids.alice}`), /read-only transaction|permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('the write role can do exactly its job: no other user column, no other table', async () => {
    const writer = new pg.Client({ connectionString: roleUrl(database.url, roles.writer, password) });
    await writer.connect();
    try {
      await assert.rejects(writer.query(`UPDATE auth_user SET is_superuser = true WHERE id = ${ids.alice}`), /permission denied/);
      await assert.rejects(writer.query('SELECT password FROM auth_user'), /permission denied/);
      await assert.rejects(writer.query('DELETE FROM auth_user'), /permission denied/);
    } finally {
      await writer.end();
    }
  });

  it('checkCredentials: the user for the right password, null otherwise; inactive users per backend', async () => {
    const alice = await auth.checkCredentials('alice', 'alice-pw');
    assert.equal(alice?.username, 'alice');
    assert.equal(alice?.backend, 'django.contrib.auth.backends.ModelBackend');
    assert.equal(await auth.checkCredentials('alice', 'wrong'), null);
    assert.equal(await auth.checkCredentials('ALICE', 'alice-pw'), null, 'get_by_natural_key is an exact match');
    assert.equal(await auth.checkCredentials('nobody', 'alice-pw'), null);
    assert.equal(await auth.checkCredentials('bob', 'bob-pw'), null, 'ModelBackend refuses an inactive user');
    const allowAll = createDjangoAuth({
      databaseUrl: readerUrl,
      secretKey: SECRET,
      passwordHashers: FAST,
      authenticationBackends: ['django.contrib.auth.backends.AllowAllUsersModelBackend'],
      databaseWriteUrl: roleUrl(database.url, roles.writer, password),
    });
    try {
      assert.equal((await allowAll.checkCredentials('bob', 'bob-pw'))?.isActive, false);
    } finally {
      await allowAll.close();
    }
  });

  it('upgrades an outdated hash on a successful check, through the write role, as check_password\'s setter', async () => {
    const before = (await admin.query<{ password: string }>('SELECT password FROM auth_user WHERE id = $1', [ids.carol])).rows[0]!.password;
    assert.match(before, /^pbkdf2_sha256\$10\$/);
    assert.equal(await auth.checkCredentials('carol', 'wrong'), null);
    assert.equal((await admin.query('SELECT password FROM auth_user WHERE id = $1', [ids.carol])).rows[0].password, before, 'a wrong password upgrades nothing');
    assert.ok(await auth.checkCredentials('carol', 'carol-pw'));
    const after = (await admin.query<{ password: string }>('SELECT password FROM auth_user WHERE id = $1', [ids.carol])).rows[0]!.password;
    assert.match(after, /^pbkdf2_sha256\$1000\$/);
    assert.deepEqual(await checkPassword('carol-pw', after, hashers), { valid: true, mustUpdate: false });
  });

  it('login(): a new key (the old row deleted, its data kept), the three keys, last_login, Django\'s cookies and Vary', async () => {
    const oldKey = await insertSession(admin, encodeSession({ cart: [1, 2], visited: true }, SECRET));
    const alice = await auth.checkCredentials('alice', 'alice-pw');
    assert.ok(alice);
    const started = Date.now();
    const result = await auth.login(`sessionid=${oldKey}`, alice);
    assert.equal(result.vary, 'Cookie');
    assert.notEqual(result.sessionKey, oldKey, 'no session fixation: the pre-login key never survives');
    assert.match(result.sessionKey, /^[a-z0-9]{32}$/);
    assert.equal((await admin.query('SELECT 1 FROM django_session WHERE session_key = $1', [oldKey])).rowCount, 0);
    const [session, csrf] = result.setCookie;
    assert.match(session!, new RegExp(`^sessionid=${result.sessionKey}; expires=\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax$`));
    assert.match(csrf!, /^csrftoken=[A-Za-z0-9]{32}; expires=[^;]+; Max-Age=31449600; Path=\/; SameSite=Lax$/);

    const row = (await admin.query<{ session_data: string; expire_date: Date }>('SELECT session_data, expire_date FROM django_session WHERE session_key = $1', [result.sessionKey])).rows[0]!;
    const decoded = decodeSessionData(row.session_data, { secretKey: SECRET, secretKeyFallbacks: [], authenticationBackends: [], acceptLegacy: false, sessionCookieAge: 1209600, maxSessionBytes: 1 << 20 });
    assert.ok(decoded.ok);
    // The order login() leaves, as Django's own vectors show it: the earlier keys, then id, backend, hash.
    assert.deepEqual(Object.keys(decoded.session), ['cart', 'visited', '_auth_user_id', '_auth_user_backend', '_auth_user_hash']);
    const stored = (await admin.query<{ password: string; last_login: Date }>('SELECT password, last_login FROM auth_user WHERE id = $1', [ids.alice])).rows[0]!;
    assert.equal(decoded.session._auth_user_id, String(ids.alice));
    assert.equal(decoded.session._auth_user_hash, sessionAuthHash(stored.password, SECRET));
    assert.ok(stored.last_login.getTime() >= started - 1000);
    assert.ok(Math.abs(row.expire_date.getTime() - (started + 1209600 * 1000)) < 5000);

    const verdict = await auth.authenticate(`sessionid=${result.sessionKey}`);
    assert.equal(verdict.loggedIn, true);
    assert.equal(verdict.user?.username, 'alice');
  });

  it('login() over another user\'s session flushes it; over an unknown key it makes a new one', async () => {
    const daveHash = (await admin.query<{ password: string }>('SELECT password FROM auth_user WHERE id = $1', [ids.dave])).rows[0]!.password;
    const daveKey = await insertSession(admin, encodeSession({ ...loginSession(ids.dave, daveHash, SECRET), secret: 'dave' }, SECRET));
    const alice = await auth.checkCredentials('alice', 'alice-pw');
    const result = await auth.login(`sessionid=${daveKey}`, alice!);
    const row = (await admin.query<{ session_data: string }>('SELECT session_data FROM django_session WHERE session_key = $1', [result.sessionKey])).rows[0]!;
    const decoded = decodeSessionData(row.session_data, { secretKey: SECRET, secretKeyFallbacks: [], authenticationBackends: [], acceptLegacy: false, sessionCookieAge: 1209600, maxSessionBytes: 1 << 20 });
    assert.ok(decoded.ok);
    assert.deepEqual(Object.keys(decoded.session), ['_auth_user_id', '_auth_user_backend', '_auth_user_hash']);
    assert.equal((await admin.query('SELECT 1 FROM django_session WHERE session_key = $1', [daveKey])).rowCount, 0);

    const chosen = newSessionKey();
    const fresh = await auth.login(`sessionid=${chosen}`, alice!);
    assert.notEqual(fresh.sessionKey, chosen, 'an attacker-chosen key is never adopted');
  });

  it('logout(): the row deleted, the cookie deleted as SessionMiddleware does, Vary: Cookie', async () => {
    const alice = await auth.checkCredentials('alice', 'alice-pw');
    const { sessionKey } = await auth.login(undefined, alice!);
    const result = await auth.logout(`sessionid=${sessionKey}`);
    assert.deepEqual(result, { setCookie: ['sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax'], vary: 'Cookie' });
    assert.equal((await admin.query('SELECT 1 FROM django_session WHERE session_key = $1', [sessionKey])).rowCount, 0);
    assert.equal((await auth.authenticate(`sessionid=${sessionKey}`)).loggedIn, false);
    assert.deepEqual(await auth.logout(undefined), { setCookie: [], vary: 'Cookie' });
  });

  it('changePassword(): Django\'s form errors; then a new hash, this session kept on a new key, the others logged out', async () => {
    const dave = await auth.checkCredentials('dave', 'dave-pw');
    const here = await auth.login(undefined, dave!);
    const elsewhere = await auth.login(undefined, dave!);
    const cookie = `sessionid=${here.sessionKey}`;
    assert.deepEqual(await auth.changePassword(cookie, { oldPassword: 'nope', newPassword1: 'n1', newPassword2: 'n1' }), {
      ok: false, error: 'password_incorrect', message: 'Your old password was entered incorrectly. Please enter it again.',
    });
    assert.deepEqual(await auth.changePassword(cookie, { oldPassword: 'dave-pw', newPassword1: 'n1', newPassword2: 'n2' }), {
      ok: false, error: 'password_mismatch', message: 'The two password fields didn’t match.',
    });
    const changed = await auth.changePassword(cookie, { oldPassword: 'dave-pw', newPassword1: 'new-dave-pw', newPassword2: 'new-dave-pw' });
    assert.ok(changed.ok);
    assert.notEqual(changed.sessionKey, here.sessionKey);
    assert.equal(cookieValue(changed.setCookie[0]!), changed.sessionKey);
    assert.equal((await auth.authenticate(`sessionid=${changed.sessionKey}`)).user?.username, 'dave');
    assert.equal((await auth.authenticate(`sessionid=${elsewhere.sessionKey}`)).loggedIn, false);
    assert.equal(await auth.checkCredentials('dave', 'dave-pw'), null);
    assert.ok(await auth.checkCredentials('dave', 'new-dave-pw'));
    await assert.rejects(auth.changePassword('sessionid=nobody0123456789', { oldPassword: 'a', newPassword1: 'b', newPassword2: 'b' }), /logged-in visitor/);
  });

  it('signed_cookies: the session is the signed cookie; logging in writes only last_login', async () => {
    const signed = createDjangoAuth({ databaseUrl: readerUrl, secretKey: SECRET, passwordHashers: FAST, sessionEngine: 'signed_cookies', databaseWriteUrl: roleUrl(database.url, roles.writer, password) });
    try {
      const before = await sessionCount();
      const alice = await signed.checkCredentials('alice', 'alice-pw');
      const result = await signed.login('sessionid=not-a-signed-cookie', alice!);
      assert.match(result.sessionKey, /^\.?[A-Za-z0-9_-]+:[A-Za-z0-9]+:[A-Za-z0-9_-]+$/);
      assert.equal(cookieValue(result.setCookie[0]!), result.sessionKey);
      assert.equal((await signed.authenticate(`sessionid=${result.sessionKey}`)).user?.username, 'alice');
      assert.equal(await sessionCount(), before, 'no django_session row');
      assert.equal((await signed.logout(`sessionid=${result.sessionKey}`)).setCookie[0], 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax');
    } finally {
      await signed.close();
    }
  });

  it('a username that does not exist costs as long as a wrong password', async () => {
    const slow = [pbkdf2Hasher({ algorithm: 'pbkdf2_sha256', iterations: 100_000 })];
    await admin.query('UPDATE auth_user SET password = $1 WHERE id = $2', [await makePassword('alice-pw', passwordHashers({ djangoVersion: '5.2', hashers: slow })), ids.alice]);
    const timed = createDjangoAuth({ databaseUrl: readerUrl, secretKey: SECRET, passwordHashers: slow, databaseWriteUrl: roleUrl(database.url, roles.writer, password) });
    try {
      const median = async (username: string): Promise<number> => {
        const times: number[] = [];
        for (let i = 0; i < 7; i += 1) {
          const started = performance.now();
          assert.equal(await timed.checkCredentials(username, 'wrong-pw'), null);
          times.push(performance.now() - started);
        }
        return times.sort((a, b) => a - b)[3]!;
      };
      await median('alice');
      const [wrong, missing] = [await median('alice'), await median('nobody-at-all')];
      console.log(`# median wrong password ${wrong.toFixed(1)} ms, unknown user ${missing.toFixed(1)} ms`);
      // Generous, for a shared machine: without the dummy hash an unknown user answers in about a millisecond.
      assert.ok(missing > wrong / 3 && missing < wrong * 3, `wrong password ${wrong.toFixed(1)} ms, unknown user ${missing.toFixed(1)} ms`);
    } finally {
      await timed.close();
    }
  });
});
