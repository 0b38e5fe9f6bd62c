import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../src/logger.ts';
import { createFixture, LogCapture, SECRET_KEY, type Fixture, type TestApp } from './helpers/app.ts';
import { insertSession } from './helpers/django.ts';
import { signPayload } from './helpers/forge.ts';
import { loadPickleVectors } from './helpers/pickle-vectors.ts';
import { replaceUsers, type VectorUser } from './helpers/vectors.ts';

const vectors = loadPickleVectors();
// A generous DB_TIMEOUT_MS: what is tested is the verdict, not a busy machine's latency.
const PICKLE_ENV = { DJANGO_SESSION_SERIALIZER: 'pickle', DJANGO_VERSION: vectors.django_version, DB_TIMEOUT_MS: '10000' };

interface Served {
  status: number;
  loggedIn: boolean;
  userId: number | null;
  page: string;
  reason: string;
}

// Sessions Django 3.2 wrote with PickleSerializer, replayed through HTTP against real PostgreSQL: the rows and
// users exactly as in Django's database, the service configured like that Django.
for (const store of ['sql', 'prisma']) {
  describe(`PickleSerializer sessions over HTTP (${store} store)`, () => {
    let fixture: Fixture;
    const logs = new LogCapture();
    const apps = new Map<string, TestApp>();

    before(async () => {
      rmSync(vectors.marker, { force: true });
      fixture = await createFixture();
    });
    after(() => fixture.close());

    function app(secretKey: string): TestApp {
      const built = apps.get(secretKey) ?? fixture.app({ ...PICKLE_ENV, SESSION_STORE: store, DJANGO_SECRET_KEY: secretKey, LOG_LEVEL: 'debug' }, createLogger('debug', logs));
      apps.set(secretKey, built);
      return built;
    }

    async function serve(sessionData: string, users: VectorUser[], secretKey: string): Promise<Served> {
      const { django } = fixture;
      await replaceUsers(django, users);
      const key = await insertSession(django, sessionData);
      const agent = request(app(secretKey).app.callback());
      const api = await agent.get('/elixir/api/me').set('Cookie', `sessionid=${key}`);
      const page = await agent.get('/elixir/').set('Cookie', `sessionid=${key}`);
      const verdicts = logs.lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'verdict');
      return { status: Math.max(api.status, page.status), loggedIn: api.body.loggedIn, userId: api.body.user?.id ?? null, page: page.text, reason: verdicts.at(-1)?.reason };
    }

    it(`every one of the ${vectors.sessions.length} sessions: Django's verdict and the expected reason`, async () => {
      for (const c of vectors.sessions) {
        const served = await serve(c.session_data, c.users, c.settings.secret_key);
        assert.equal(served.status, 200, `${c.name}: ${served.reason}`);
        assert.equal(served.reason, c.reason, c.name);
        const loggedIn = c.reason.startsWith('logged_in');
        assert.equal(served.loggedIn, loggedIn, c.name);
        assert.match(served.page, loggedIn ? /Logged In!/ : /Not Logged In/, c.name);
        assert.equal(served.userId, loggedIn ? c.users[0]?.id : null, c.name);
        // Where the reader refuses a class Django would have unpickled, the service says not logged in: a
        // deliberate difference. Everywhere else it is Django's verdict.
        if (c.expected !== null && c.reason !== 'unsupported_pickle') {
          assert.equal(served.loggedIn, c.expected.authenticated, c.name);
          assert.equal(served.userId, c.expected.user_id, c.name);
        }
      }
    });

    it(`every one of the ${vectors.refused.length} hostile and malformed pickles, validly signed: 200, not logged in, its reason, nothing run`, async () => {
      for (const c of vectors.refused) {
        const served = await serve(signPayload(Buffer.from(c.pickle, 'base64'), { key: SECRET_KEY, compressed: false }), [], SECRET_KEY);
        assert.equal(served.status, 200, c.name);
        assert.equal(served.loggedIn, false, c.name);
        assert.match(served.page, /Not Logged In/, c.name);
        assert.equal(served.reason, c.reason, c.name);
      }
      assert.equal(existsSync(vectors.marker), false, 'a hostile pickle ran');
    });

    it('the reasons are counted in /metrics', async () => {
      const metrics = await request(app(SECRET_KEY).app.callback()).get('/elixir/metrics').expect(200);
      for (const reason of ['unsupported_pickle', 'bad_pickle', 'too_large']) assert.match(metrics.text, new RegExp(`^bridge_verdicts_total\\{reason="${reason}"\\} [1-9]`, 'm'));
    });
  });
}
