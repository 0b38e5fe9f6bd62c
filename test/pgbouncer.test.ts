import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { main as inspect } from '../scripts/session-inspect.ts';
import { main as stats } from '../scripts/session-stats.ts';
import { createApp } from '../src/app.ts';
import { createDatabase } from '../src/db.ts';
import { reachesPostgresDirectly } from 'django-session-bridge/postgresql';
import { createLogger } from '../src/logger.ts';
import { startupProblem } from '../src/startup-check.ts';
import { createFixture, SECRET_KEY, testConfig, type Fixture } from './helpers/app.ts';
import { autocannon, type LoadRequest } from './helpers/autocannon.ts';
import { describeDjangoScenarios } from './helpers/django-scenarios.ts';
import { encodeSession, insertSession, insertUser, loginSession, newSessionKey, userPassword } from './helpers/django.ts';
import { pulledSchema, scratchClientDir } from './helpers/generated-client.ts';
import { freePort, listen } from './helpers/listen.ts';
import { missingPrograms, packagedSuite } from './helpers/packaged-suite.ts';
import { POOL_MODES, startPgBouncer, type PgBouncer } from './helpers/pgbouncer.ts';
import { cleanEnv, groupGone, spawnGroup } from './helpers/spawned.ts';
import { captureOutput } from './helpers/tool-output.ts';
import { describeVectorReplay } from './helpers/vector-replay.ts';

const CONNECTIONS = 32;
// A fixed number of requests rather than a duration: enough to interleave every connection's statements on
// PgBouncer's server connections however busy the machine is (about a second on a quiet 2-core one).
const LOAD_REQUESTS = CONNECTIONS * 8;
const USERS = 24;
const HOUR = 3_600_000;
const PATIENT_MS = '10000';

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('run the tests with `npm test` (it sets TEST_DATABASE_URL up)');
  return url;
}

async function backendPid(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid as number;
}

/** A tool's output with the lines that name the moment it ran (times, "in 13d 23h") left out. */
function timeless(text: string): string {
  return text.split('\n').filter((line) => !/\d{4}-\d{2}-\d{2}T|\bin \d+[dhm]\b/.test(line)).join('\n');
}

// Both modes, each replaying ~400 vector decisions, the scenarios and two loads: about a minute on a quiet
// 2-core machine, more when other test files share it.
const SUITE_MS = 300_000;

packagedSuite('through PgBouncer (Debian pgbouncer, default settings)', missingPrograms({ pgbouncer: 'pgbouncer' }), () => {
  for (const mode of POOL_MODES) {
    describe(`pool_mode = ${mode}`, () => {
      let bouncer: PgBouncer;
      before(async () => {
        bouncer = await startPgBouncer(adminUrl(), mode);
      });
      after(() => bouncer.stop());

      it(`really pools by ${mode}, and refuses the startup parameters the service no longer sends`, async () => {
        const [first, second] = [new pg.Client(bouncer.via(adminUrl())), new pg.Client(bouncer.via(adminUrl()))] as [pg.Client, pg.Client];
        await first.connect();
        await second.connect();
        try {
          const pid = await backendPid(first);
          await second.query('BEGIN');
          // Transaction mode hands the idle server connection the first client just used to the second; session
          // mode keeps it for the first client as long as it is connected.
          assert.equal((await backendPid(second)) === pid, mode === 'transaction');
          await second.query('COMMIT');
        } finally {
          await Promise.all([first.end(), second.end()]);
        }
        const [direct, pooled] = [adminUrl(), bouncer.via(adminUrl())].map((url) => new pg.Pool({ connectionString: url, max: 1 })) as [pg.Pool, pg.Pool];
        try {
          assert.deepEqual([await reachesPostgresDirectly(direct), await reachesPostgresDirectly(pooled)], [true, false], 'named statements directly only');
        } finally {
          await Promise.all([direct.end(), pooled.end()]);
        }
        for (const parameter of [{ statement_timeout: 1000 }, { options: '-c TimeZone=UTC' }]) {
          const client = new pg.Client({ connectionString: bouncer.via(adminUrl()), ...parameter });
          await assert.rejects(client.connect(), /unsupported startup parameter/);
        }
      });

      // A generous DB_TIMEOUT_MS: these replays prove verdicts, on a machine other test files keep busy (a new
      // Prisma Client's first query can take seconds there); outage.test.ts proves the timeout.
      const through = (url: string) => ({ DATABASE_URL: bouncer.via(url), DB_TIMEOUT_MS: PATIENT_MS });
      describeVectorReplay(` through PgBouncer (${mode})`, through);
      describeDjangoScenarios(`Django scenarios through PgBouncer (${mode})`, through);

      describe(`start-up, routes, load and tools through PgBouncer (${mode})`, () => {
        let fixture: Fixture;
        const visitors: { cookie: string; userId: number | null }[] = [];
        let aliceKey: string;

        before(async () => {
          fixture = await createFixture();
          for (let i = 0; i < USERS; i++) {
            const id = await insertUser(fixture.django, { username: `user${i}` });
            const key = await insertSession(fixture.django, encodeSession(loginSession(id, await userPassword(fixture.django, id), SECRET_KEY), SECRET_KEY));
            visitors.push({ cookie: `sessionid=${key}`, userId: id });
          }
          aliceKey = (visitors[0] as { cookie: string }).cookie.slice('sessionid='.length);
          const anonymous = await insertSession(fixture.django, encodeSession({ cart: [1, 2] }, SECRET_KEY));
          const expired = await insertSession(fixture.django, encodeSession({ cart: [3] }, SECRET_KEY), new Date(Date.now() - HOUR));
          for (const cookie of [`sessionid=${anonymous}`, `sessionid=${expired}`, `sessionid=${newSessionKey()}`, 'sessionid=garbage', '']) {
            visitors.push({ cookie, userId: null });
          }
        });
        after(() => fixture.close());

        for (const store of ['sql', 'prisma']) {
          it(`${store} store: the start-up check passes and every route answers as directly`, async () => {
            const direct = fixture.app({ SESSION_STORE: store, DB_TIMEOUT_MS: PATIENT_MS });
            const pooled = fixture.app({ SESSION_STORE: store, DB_TIMEOUT_MS: PATIENT_MS, DATABASE_URL: bouncer.via(fixture.database.url) });
            assert.equal(await startupProblem(pooled.config, pooled.db), null);
            for (const path of ['/elixir/', '/elixir/api/me', '/elixir/healthz', '/elixir/metrics', '/elixir/nope']) {
              for (const { cookie } of visitors.slice(-6)) {
                const [a, b] = await Promise.all([direct, pooled].map((built) => request(built.app.callback()).get(path).set('Cookie', cookie)));
                assert.equal(b?.status, a?.status, `${path} ${cookie}`);
                // Request ids and per-request tokens (CSRF) differ between any two answers.
                const stable = (text = '') => text.replace(/[0-9a-f-]{36}|[A-Za-z0-9]{32,}/g, '');
                if (path !== '/elixir/metrics') assert.equal(stable(b?.text), stable(a?.text), `${path} ${cookie}`);
              }
            }
          });

          it(`${store} store: ${LOAD_REQUESTS} requests on ${CONNECTIONS} connections, logged-in and anonymous: 0 non-200, 0 wrong verdicts`, async () => {
            const config = testConfig(bouncer.via(fixture.database.url), { SESSION_STORE: store, DB_TIMEOUT_MS: PATIENT_MS });
            // More pool connections than PgBouncer's server connections per request burst, so statements of one
            // client really interleave with others' on the same server connections.
            const db = createDatabase({ url: config.databaseUrl as string, poolMax: 16, timeoutMs: config.dbTimeoutMs });
            const http = await listen(createApp({ config, db, logger: createLogger('silent') }));
            try {
              const wrong: string[] = [];
              let answers = 0;
              const requests: LoadRequest[] = visitors.flatMap(({ cookie, userId }) =>
                ['/elixir/api/me', '/elixir/', '/elixir/healthz'].map((path) => ({
                  method: 'GET' as const,
                  path,
                  headers: { cookie },
                  onResponse(status: number, body: string) {
                    answers += 1;
                    if (status !== 200) wrong.push(`${path} ${cookie.slice(0, 24)}: ${status} ${body.slice(0, 120)}`);
                    else if (path === '/elixir/api/me') {
                      const said = JSON.parse(body) as { user: { id: number } | null };
                      if ((said.user?.id ?? null) !== userId) wrong.push(`${path} ${cookie.slice(0, 24)}: user ${said.user?.id}, expected ${userId}`);
                    } else if (path === '/elixir/' && body.includes('Logged In!') !== (userId !== null)) wrong.push(`${path} ${cookie.slice(0, 24)}: wrong page`);
                  },
                })),
              );
              const result = await autocannon({ url: http.url, connections: CONNECTIONS, amount: LOAD_REQUESTS, timeout: 20, requests });
              console.log(`# ${mode}, ${store}: ${result.requests.total} requests, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
              assert.deepEqual({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }, { errors: 0, timeouts: 0, non2xx: 0 });
              assert.deepEqual(wrong.slice(0, 5), []);
              assert.equal(answers, LOAD_REQUESTS, `${answers} answers checked of ${result.requests.total}`);
            } finally {
              await http.close();
              await db.close();
            }
          });
        }

        it('`npm run studio` on DATABASE_URL through PgBouncer reads the tables', async () => {
          const port = await freePort();
          const studio = spawnGroup('npm', ['run', 'studio', '--', '--port', String(port)], cleanEnv({ DATABASE_URL: bouncer.via(fixture.database.url) }));
          try {
            await studio.waitFor(/Prisma Studio is running at/, 90_000);
            // Studio's own API, as its page calls it.
            const response = await fetch(`http://localhost:${port}/bff`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ procedure: 'query', query: { sql: 'SELECT count(*)::int AS n FROM auth_user', parameters: [] } }),
            });
            assert.equal(response.status, 200);
            assert.deepEqual(await response.json(), [null, [{ n: USERS }]]);
          } finally {
            studio.kill('SIGTERM', 'group');
            await studio.exited;
            await groupGone(studio, 20_000);
          }
        });

        it('`npm run db:pull` through PgBouncer writes what it writes directly', () => {
          const dir = scratchClientDir();
          const via = pulledSchema(bouncer.via(fixture.database.url), 'auth_user', `${dir}/bouncer`);
          assert.equal(via, pulledSchema(fixture.database.url, 'auth_user', `${dir}/direct`));
          assert.match(via, /model django_session \{/);
        });

        it('session:inspect and session:stats say the same through PgBouncer as directly', async () => {
          const env = (url: string) => ({ DATABASE_URL: url, DJANGO_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'silent' });
          for (const [tool, argv] of [[inspect, [aliceKey]], [inspect, [visitors.at(-4)?.cookie.slice(10) as string]], [stats, []]] as const) {
            const outputs = [];
            for (const url of [fixture.database.url, bouncer.via(fixture.database.url)]) {
              const out = captureOutput();
              const code = await tool([...argv], env(url), out);
              outputs.push({ code, out: timeless(out.out()), err: out.err() });
            }
            assert.deepEqual(outputs[1], outputs[0]);
            assert.equal(outputs[0]?.err, '');
          }
        });
      });
    });
  }
}, SUITE_MS);
