import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main as inspect } from '../../scripts/session-inspect.ts';
import { keyHash } from '../../src/logger.ts';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from '../helpers/django.ts';
import { loadPickleVectors } from '../helpers/pickle-vectors.ts';
import { captureOutput } from '../helpers/tool-output.ts';

const OLD_KEY = 'inspect-test-old-key-removed-from-fallbacks-0123456789';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('session:inspect', () => {
  let fixture: Fixture;
  let password: string;
  let aliceKey: string;
  let oldKey: string;
  let env: Record<string, string>;

  before(async () => {
    fixture = await createFixture();
    const alice = await insertUser(fixture.django, { username: 'alice', firstName: 'Alice', email: 'alice@example.com', isSuperuser: true });
    password = await userPassword(fixture.django, alice);
    aliceKey = await insertSession(fixture.django, encodeSession(loginSession(alice, password, SECRET_KEY), SECRET_KEY));
    oldKey = await insertSession(fixture.django, encodeSession(loginSession(alice, password, OLD_KEY), OLD_KEY));
    env = { DATABASE_URL: fixture.database.url, DJANGO_SECRET_KEY: SECRET_KEY };
  });
  after(() => fixture.close());

  async function run(args: string[], extra: Record<string, string> = {}) {
    const out = captureOutput();
    const code = await inspect(args, { ...env, ...extra }, out);
    return { code, stdout: out.out(), stderr: out.err() };
  }

  it('explains a logged-in session for a person, and exits 0', async () => {
    const { code, stdout, stderr } = await run([aliceKey]);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^key hash {4}${keyHash(aliceKey)} \\(what the service logs for this key\\)$`, 'm'));
    assert.match(stdout, /^row {9}expires \d{4}-\d\d-\d\dT[\d:.]+Z \(in 1[34]d/m);
    assert.match(stdout, /^signed with current$/m);
    assert.match(stdout, /"_auth_user_backend": "django\.contrib\.auth\.backends\.ModelBackend"/);
    assert.match(stdout, /^user {8}#\d+ alice \(Alice\) <alice@example\.com>, active, superuser$/m);
    assert.match(stdout, /^auth hash {3}matches current$/m);
    assert.match(stdout, /^verdict {5}LOGGED IN \(logged_in\)$/m);
    for (const secret of [SECRET_KEY, password, aliceKey]) assert.ok(!stdout.includes(secret));
  });

  it('points at the removed key when DJANGO_OLD_SECRET_KEYS holds it, and exits 1', async () => {
    const { code, stdout } = await run(['--json', oldKey], { DJANGO_OLD_SECRET_KEYS: OLD_KEY });
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.verdict.reason, 'bad_signature');
    assert.equal(report.signature, 'none');
    assert.deepEqual(report.hints, ['Would be logged in with DJANGO_OLD_SECRET_KEYS key 1 added back to SECRET_KEY_FALLBACKS.']);
    assert.ok(!stdout.includes(OLD_KEY));
  });

  it("shows a PickleSerializer session's datetimes, decimals and other allow-listed values, tagged", async (t) => {
    const vectors = loadPickleVectors();
    const c = vectors.sessions.find((session) => session.name === 'login_with_allow_listed_values');
    assert.ok(c);
    const [user] = c.users;
    assert.ok(user);
    // The vector names user 1, who may be this file's alice: borrow the row and give it back.
    const { rows } = await fixture.django.query<{ password: string; username: string }>('SELECT password, username FROM auth_user WHERE id = $1', [user.id]);
    await fixture.django.query(
      `INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
       VALUES ($1, $2, false, $3, '', '', '', false, true, now()) ON CONFLICT (id) DO UPDATE SET password = $2, username = $3`,
      [user.id, user.password, `pickled-${user.username}`],
    );
    t.after(() => rows[0] && fixture.django.query('UPDATE auth_user SET password = $2, username = $3 WHERE id = $1', [user.id, rows[0].password, rows[0].username]));
    const key = await insertSession(fixture.django, c.session_data);
    const pickleEnv = { DJANGO_SECRET_KEY: c.settings.secret_key, DJANGO_SESSION_SERIALIZER: 'pickle', DJANGO_VERSION: '3.2' };
    const human = await run([key], pickleEnv);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /"\$type": "datetime",\s+"value": "2023-11-14T22:13:20\.123456\+00:00"/);
    const { code, stdout } = await run(['--json', key], pickleEnv);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.verdict.reason, 'logged_in');
    assert.deepEqual(report.session.basket_total, { $type: 'decimal', value: '19.99' });
    assert.deepEqual(report.session.greeting, { $type: 'gettext_lazy', value: 'Welcome back' });

    const refused = vectors.sessions.find((session) => session.name === 'not_allow_listed_value');
    assert.ok(refused);
    const refusedRun = await run([await insertSession(fixture.django, refused.session_data)], pickleEnv);
    assert.equal(refusedRun.code, 1);
    assert.match(refusedRun.stdout, /^decode {6}failed: unsupported_pickle \(global collections\.OrderedDict is not on the allow-list\)$/m);
  });

  it('reads a whole Cookie header the way the service does: SESSION_COOKIE_NAME, last duplicate wins', async () => {
    const header = `sessionid=${oldKey}; csrftoken=x; djsession=${oldKey}; djsession=${aliceKey}`;
    assert.equal((await run(['--cookie', header], { SESSION_COOKIE_NAME: 'djsession' })).code, 0);
    const { code, stdout } = await run(['--json', '--cookie', 'csrftoken=x'], { SESSION_COOKIE_NAME: 'djsession' });
    assert.equal(code, 1);
    assert.equal(JSON.parse(stdout).verdict.reason, 'no_cookie');
  });

  const usage: [string, string[], Record<string, string>, RegExp][] = [
    ['no key', [], {}, /give one session key/],
    ['two keys', ['a', 'b'], {}, /give one session key/],
    ['a key and --cookie', ['a', '--cookie', 'x=1'], {}, /give one session key/],
    ['an unknown option', ['--nope'], {}, /Unknown option/],
    ['no DATABASE_URL', ['abcdefgh'], { DATABASE_URL: '' }, /DATABASE_URL is not set/],
    ['a bad configuration', ['abcdefgh'], { DJANGO_VERSION: '2.2' }, /DJANGO_VERSION 2\.2 is not supported/],
  ];
  for (const [name, args, extra, message] of usage) {
    it(`exits 2 on ${name}`, async () => {
      const { code, stdout, stderr } = await run(args, extra);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.match(stderr, /usage: npm run session:inspect/);
    });
  }

  it('exits 2 when the database does not answer', async () => {
    const { code, stderr } = await run([aliceKey], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    assert.equal(code, 2);
    assert.match(stderr, /could not read the database/);
  });

  it('runs as `npm run session:inspect -- <key>` with exit status 0 or 1', async () => {
    const npm = (key: string) =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn('npm', ['run', '--silent', 'session:inspect', '--', key], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout }));
      });
    const [loggedIn, notLoggedIn] = await Promise.all([npm(aliceKey), npm(oldKey)]);
    assert.equal(loggedIn.code, 0);
    assert.match(loggedIn.stdout, /LOGGED IN \(logged_in\)/);
    assert.equal(notLoggedIn.code, 1);
    assert.match(notLoggedIn.stdout, /NOT LOGGED IN \(bad_signature\)/);
  });
});
