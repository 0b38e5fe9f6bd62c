import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main as stats } from '../../scripts/session-stats.ts';
import { sessionAuthHash } from 'django-session-bridge/django';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, MODEL_BACKEND, userPassword } from '../helpers/django.ts';
import { captureOutput } from '../helpers/tool-output.ts';

const FALLBACK_KEY = 'stats-test-fallback-key-still-configured-0123456789';
const OLD_KEY = 'stats-test-old-key-already-removed-from-fallbacks-0123456789';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../scripts/session-stats.ts', import.meta.url));

const PER_KIND = 8400;
const BATCH = 1000;
// Node 20 + tsx + Prisma's query compiler take ~150 MiB before the first row is read. Left alone, V8 then
// lets garbage pile up for as long as CPU contention delays its collector (255-296 MiB measured for this
// table on a busy 2-core machine); the child runs with a 96 MiB old space so that its peak measures what the
// tool holds rather than how far the collector lagged. What keeps that small is that no query returns more
// than a batch, asserted below. Measured without the cap, idle machine: 227 MiB for 13,000 sessions, 267 MiB
// for 130,000, 279 MiB for 1,300,000.
const MAX_RSS = 300 * 2 ** 20;
const HEAP_MIB = 96;

interface Users {
  alice: { id: number; password: string };
  ivan: { id: number; password: string };
}

/**
 * The kinds of session in the generated table, PER_KIND rows each: one signed value per kind is enough, as
 * session_data need not be unique. `expired` rows must not be counted at all.
 */
function kinds({ alice, ivan }: Users): [string, string][] {
  const login = (id: number, hashWith: string, password = alice.password) => ({
    _auth_user_id: String(id),
    _auth_user_backend: MODEL_BACKEND,
    _auth_user_hash: sessionAuthHash(password, hashWith),
  });
  const tampered = encodeSession(login(alice.id, SECRET_KEY), SECRET_KEY).replace(/.(?=:[^:]*$)/, (c) => (c === 'A' ? 'B' : 'A'));
  return [
    ['logged_in', encodeSession(login(alice.id, SECRET_KEY), SECRET_KEY)],
    ['hash_with_fallback', encodeSession(login(alice.id, FALLBACK_KEY), SECRET_KEY)],
    ['signed_with_fallback', encodeSession(login(alice.id, SECRET_KEY), FALLBACK_KEY)],
    ['anonymous', encodeSession({ cart: [1, 2, 3] }, SECRET_KEY)],
    ['anonymous_signed_with_fallback', encodeSession({ visits: 7 }, FALLBACK_KEY)],
    ['tampered', tampered],
    ['signed_and_hashed_with_old_key', encodeSession(login(alice.id, OLD_KEY), OLD_KEY)],
    ['hash_with_old_key', encodeSession(login(alice.id, OLD_KEY), SECRET_KEY)],
    ['inactive', encodeSession(login(ivan.id, SECRET_KEY, ivan.password), SECRET_KEY)],
    ['password_changed', encodeSession(login(alice.id, SECRET_KEY, 'pbkdf2_sha256$260000$before$change='), SECRET_KEY)],
    ['expired', encodeSession(login(alice.id, SECRET_KEY), SECRET_KEY)],
    ['deleted_user', encodeSession(login(987_654, SECRET_KEY), SECRET_KEY)],
    ['anonymous_signed_with_old_key', encodeSession({ visits: 1 }, OLD_KEY)],
  ];
}

async function makeUsers(fixture: Fixture): Promise<Users> {
  const aliceId = await insertUser(fixture.django, { username: 'alice' });
  const ivanId = await insertUser(fixture.django, { username: 'ivan', isActive: false });
  return {
    alice: { id: aliceId, password: await userPassword(fixture.django, aliceId) },
    ivan: { id: ivanId, password: await userPassword(fixture.django, ivanId) },
  };
}

function toolEnv(fixture: Fixture, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: fixture.database.url,
    DJANGO_SECRET_KEY: SECRET_KEY,
    DJANGO_SECRET_KEY_FALLBACKS: FALLBACK_KEY,
    DJANGO_OLD_SECRET_KEYS: OLD_KEY,
    DJANGO_VERSION: '5.2',
    ...extra,
  };
}

/** Runs the script as `npm run session:stats` would, in its own process, so that its memory is its own. */
function runScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', SCRIPT, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('session:stats on a generated table of 109,200 sessions', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await createFixture();
    const data = kinds(await makeUsers(fixture));
    const expired = data.findIndex(([kind]) => kind === 'expired');
    await fixture.django.query(
      `INSERT INTO django_session (session_key, session_data, expire_date)
       SELECT md5(i::text), ($1::text[])[i % $2 + 1],
              CASE WHEN i % $2 = $3 THEN now() - interval '1 hour' ELSE now() + interval '14 days' END
       FROM generate_series(1, $4::int) AS i`,
      [data.map(([, value]) => value), data.length, expired, data.length * PER_KIND],
    );
    await fixture.django.query('ANALYZE django_session');
  });
  after(() => fixture.close());

  it('counts every verdict and the key-rotation impact, in batches, in bounded memory', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await runScript(['--json', '--report-memory', '--batch-size', String(BATCH)], toolEnv(fixture));
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const report = JSON.parse(stdout);

    assert.equal(report.sessions, 12 * PER_KIND);
    assert.equal(report.expired, PER_KIND);
    assert.deepEqual(report.categories, { logged_in: 3 * PER_KIND, anonymous: 6 * PER_KIND, undecodable: 3 * PER_KIND, no_session: 0 });
    assert.deepEqual(
      Object.fromEntries(Object.entries(report.reasons).filter(([, count]) => count !== 0)),
      {
        logged_in: 2 * PER_KIND, // logged_in, signed_with_fallback
        logged_in_fallback_key: PER_KIND, // hash_with_fallback
        anonymous: 2 * PER_KIND, // anonymous, anonymous_signed_with_fallback
        inactive: PER_KIND,
        hash_mismatch: 2 * PER_KIND, // hash_with_old_key, password_changed
        no_user: PER_KIND, // deleted_user
        bad_signature: 3 * PER_KIND, // tampered, signed_and_hashed_with_old_key, anonymous_signed_with_old_key
      },
    );
    // Removing the fallback logs out hash_with_fallback and signed_with_fallback, not the anonymous one.
    assert.deepEqual(report.fallbacks, [{ position: 1, wouldLogOut: 2 * PER_KIND }]);
    // Adding the old key back logs in both old-key logins, not the anonymous session it signed.
    assert.deepEqual(report.oldKeys, [{ position: 1, wouldLogIn: 2 * PER_KIND }]);

    assert.equal(report.scan.batchSize, BATCH);
    assert.equal(report.scan.batches, Math.ceil((12 * PER_KIND) / BATCH));
    assert.equal(report.scan.largestBatch, BATCH);
    assert.equal(report.scan.userQueries, report.scan.batches, 'one user query per batch');
    assert.ok(report.scan.largestUserQuery <= BATCH);
    assert.ok(report.memory.maxRssBytes < MAX_RSS, `peak RSS ${(report.memory.maxRssBytes / 2 ** 20).toFixed(1)} MiB`);
    console.log(`# session:stats: ${report.sessions} sessions in ${Date.now() - started} ms, peak RSS ${(report.memory.maxRssBytes / 2 ** 20).toFixed(1)} MiB`);
  });
});

describe('session:stats output and usage', () => {
  let fixture: Fixture;

  before(async () => {
    fixture = await createFixture();
    const { alice } = await makeUsers(fixture);
    await insertSession(fixture.django, encodeSession(loginSession(alice.id, alice.password, SECRET_KEY), SECRET_KEY));
    await insertSession(fixture.django, encodeSession(loginSession(alice.id, alice.password, FALLBACK_KEY), FALLBACK_KEY));
    await insertSession(fixture.django, encodeSession({ visits: 1 }, SECRET_KEY));
    await insertSession(fixture.django, encodeSession({ visits: 1 }, SECRET_KEY), new Date(Date.now() - 1000));
  });
  after(() => fixture.close());

  it('prints a readable report with the per-reason breakdown and the key-rotation check', async () => {
    const out = captureOutput();
    assert.equal(await stats(['--batch-size', '2'], toolEnv(fixture), out), 0);
    const text = out.out();
    assert.match(text, /Unexpired sessions at .*Z: 3 \(read in 2 batches of up to 2\)/);
    assert.match(text, /Expired rows not yet removed by clearsessions: 1/);
    assert.match(text, /^logged in +2 \(66\.7%\)$/m);
    assert.match(text, /^ {2}logged_in +1$/m);
    assert.match(text, /^ {2}logged_in_fallback_key +1$/m);
    assert.match(text, /^anonymous \(decoded, nobody logged in\) +1 \(33\.3%\)$/m);
    assert.match(text, /fallback 1: removing it from the fallbacks would log out 1 session/);
    assert.match(text, /DJANGO_OLD_SECRET_KEYS key 1: adding it back to the fallbacks would log in 0 session/);
    for (const secret of [SECRET_KEY, FALLBACK_KEY, OLD_KEY]) assert.ok(!text.includes(secret));
  });

  it('says when there is no key to check', async () => {
    const out = captureOutput();
    assert.equal(await stats([], toolEnv(fixture, { DJANGO_SECRET_KEY_FALLBACKS: '', DJANGO_OLD_SECRET_KEYS: '' }), out), 0);
    assert.match(out.out(), /nothing to check/);
  });

  const usage: [string, string[], Record<string, string>, RegExp][] = [
    ['an unknown option', ['--nope'], {}, /Unknown option/],
    ['a bad batch size', ['--batch-size', '0'], {}, /--batch-size must be/],
    ['a missing secret key', [], { DJANGO_SECRET_KEY: '' }, /DJANGO_SECRET_KEY is required/],
    ['an old key that is still configured', [], { DJANGO_OLD_SECRET_KEYS: FALLBACK_KEY }, /key 1 is already/],
    ['old keys with a Django that has no fallbacks', [], { DJANGO_VERSION: '3.2', DJANGO_SECRET_KEY_FALLBACKS: '' }, /no SECRET_KEY_FALLBACKS/],
    ['the signed_cookies engine', [], { DJANGO_SESSION_ENGINE: 'signed_cookies' }, /no table to count/],
  ];
  for (const [name, args, env, message] of usage) {
    it(`exits 2 on ${name}`, async () => {
      const out = captureOutput();
      assert.equal(await stats(args, toolEnv(fixture, env), out), 2);
      assert.match(out.err(), message);
      assert.equal(out.out(), '');
      for (const secret of [SECRET_KEY, FALLBACK_KEY, OLD_KEY]) assert.ok(!out.err().includes(secret));
    });
  }

  it('exits 2 when the database does not answer', async () => {
    const out = captureOutput();
    assert.equal(await stats([], toolEnv(fixture, { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' }), out), 2);
    assert.match(out.err(), /could not read the database/);
  });
});
