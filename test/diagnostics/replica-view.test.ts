import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as inspect } from '../../scripts/session-inspect.ts';
import { createFixture, SECRET_KEY, type Fixture } from '../helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, newSessionKey, userPassword } from '../helpers/django.ts';
import { captureOutput } from '../helpers/tool-output.ts';

/** Two real databases: a replica that has not replayed a log-in and a log-out yet, and the primary that has. */
describe('session:inspect with DATABASE_REPLICA_URL: what the replica says, and whose verdict is served', () => {
  let replica: Fixture;
  let primary: Fixture;
  let newLogin: string;
  let loggedOut: string;
  let both: string;

  before(async () => {
    [replica, primary] = await Promise.all([createFixture(), createFixture()]);
    const ids = await Promise.all([replica, primary].map((side) => insertUser(side.django, { username: 'alice', password: 'pbkdf2_sha256$260000$s$h=' })));
    assert.equal(ids[0], ids[1]);
    const data = encodeSession(loginSession(ids[1] as number, await userPassword(primary.django, ids[1] as number), SECRET_KEY), SECRET_KEY);
    newLogin = await insertSession(primary.django, data);
    loggedOut = await insertSession(replica.django, data);
    both = newSessionKey();
    for (const side of [replica, primary]) await insertSession(side.django, data, undefined, both);
  });
  after(() => Promise.all([replica?.close(), primary?.close()]));

  async function run(key: string, replicaUrl = replica.database.url, json = false) {
    const out = captureOutput();
    const code = await inspect([...(json ? ['--json'] : []), key], { DATABASE_URL: primary.database.url, DATABASE_REPLICA_URL: replicaUrl, DJANGO_SECRET_KEY: SECRET_KEY }, out);
    return { code, stdout: out.out(), stderr: out.err() };
  }

  it('a log-in the replica has not replayed: the primary decides, logged in', async () => {
    const { code, stdout } = await run(newLogin);
    assert.equal(code, 0);
    assert.match(stdout, /^verdict {5}LOGGED IN \(logged_in\)$/m);
    assert.match(stdout, /^replica {5}NOT LOGGED IN \(no_row\): replication lag could explain that, so the service asks the primary/m);
  });

  it('a log-out the replica has not replayed: the replica\'s verdict is served, and the tool says it is stale', async () => {
    const { code, stdout } = await run(loggedOut);
    assert.equal(code, 0, 'the service answers "logged in" until the replica catches up');
    assert.match(stdout, /^verdict {5}NOT LOGGED IN \(no_row\)$/m);
    assert.match(stdout, /^replica {5}LOGGED IN \(logged_in\): the service serves this while the replica is up/m);
    assert.match(stdout, /^ {12}the primary says NOT LOGGED IN \(no_row\): the replica has not replayed Django's latest change yet/m);
  });

  it('both agree: one line, no warning; --json carries the replica\'s verdict and the source', async () => {
    const { code, stdout } = await run(both);
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /the primary says/);
    const json = JSON.parse((await run(both, replica.database.url, true)).stdout) as { replica: unknown };
    assert.deepEqual(json.replica, { verdict: { loggedIn: true, reason: 'logged_in' }, error: null, answeredBy: 'replica' });
  });

  it('a replica that does not answer: the primary\'s verdict, and why', async () => {
    const { code, stdout } = await run(newLogin, 'postgresql://postgres@127.0.0.1:1/none');
    assert.equal(code, 0);
    assert.match(stdout, /^replica {5}did not answer \(.+\): the service asks the primary/m);
  });
});
