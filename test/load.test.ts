import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, newSessionKey, userPassword } from './helpers/django.ts';
import { listen, type Listening } from './helpers/listen.ts';
import { autocannon, type LoadRequest } from './helpers/autocannon.ts';

const SECONDS = Number(process.env.LOAD_TEST_SECONDS || 12);
const CONNECTIONS = 16;
// Sustained rather than flat out: `npm test` runs another test file beside this one on a 2-core machine, and
// the point is a long steady run, not the top speed (bench/ measures that).
const RATE = 400;
const USERS = 50;
// After a full GC the heap holds what the service keeps; between the middle and the end of a steady run it
// must not grow by more than noise. RSS also carries the allocator's and V8's slack, hence the wider bound.
const MAX_HEAP_GROWTH_MB = 4;
const MAX_RSS_GROWTH_MB = 64;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Memory {
  heapMb: number;
  rssMb: number;
}

function measure(): Memory {
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20 };
}

describe(`under load: ${SECONDS} s of ${CONNECTIONS} connections on loopback, up to ${RATE} requests a second`, () => {
  let fixture: Fixture;
  let http: Listening;
  const visitors: { cookie: string; loggedIn: boolean }[] = [];

  before(async () => {
    fixture = await createFixture();
    for (let i = 0; i < USERS; i++) {
      const id = await insertUser(fixture.django, { username: `user${i}` });
      const key = await insertSession(fixture.django, encodeSession(loginSession(id, await userPassword(fixture.django, id), SECRET_KEY), SECRET_KEY));
      visitors.push({ cookie: `sessionid=${key}`, loggedIn: true });
    }
    const anonymous = await insertSession(fixture.django, encodeSession({ cart: [1, 2] }, SECRET_KEY));
    visitors.push({ cookie: `sessionid=${anonymous}`, loggedIn: false }, { cookie: `sessionid=${newSessionKey()}`, loggedIn: false }, { cookie: 'sessionid=garbage', loggedIn: false }, { cookie: '', loggedIn: false });
    http = await listen(fixture.app().app);
  });
  after(async () => {
    await http.close();
    await fixture.close();
  });

  it('no errors, no wrong verdicts, and no memory growth between the two halves of the run', async () => {
    let answers = 0;
    const wrong: string[] = [];
    const requests: LoadRequest[] = visitors.flatMap(({ cookie, loggedIn }) =>
      ['/elixir/', '/elixir/api/me'].map((path) => ({
        method: 'GET' as const,
        path,
        headers: { cookie },
        onResponse(status: number, body: string) {
          answers += 1;
          const said = path === '/elixir/' ? body.includes('Logged In!') : (JSON.parse(body) as { loggedIn: boolean }).loggedIn;
          if (status !== 200 || said !== loggedIn) wrong.push(`${path} ${cookie.slice(0, 20)}: ${status}, logged in: ${said}`);
        },
      })),
    );

    const samples: { at: string; memory: Memory }[] = [];
    const sample = (at: string) => samples.push({ at, memory: measure() });
    const timers = [0.2, 0.5, 0.75, 0.98].map((fraction) => setTimeout(() => sample(`${Math.round(fraction * 100)}%`), fraction * SECONDS * 1000));
    const result = await autocannon({ url: http.url, connections: CONNECTIONS, duration: SECONDS, overallRate: RATE, timeout: 10, requests });
    timers.forEach(clearTimeout);

    const [, middle, , end] = samples.map((entry) => entry.memory);
    console.log(
      `# ${result.requests.total} requests, ${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    );
    console.log(`# memory after GC: ${samples.map(({ at, memory }) => `${at} heap ${memory.heapMb.toFixed(1)} MB, RSS ${memory.rssMb.toFixed(0)} MB`).join('; ')}`);

    assert.equal(samples.length, 4, 'every memory sample was taken during the run');
    assert.deepEqual({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }, { errors: 0, timeouts: 0, non2xx: 0 });
    assert.deepEqual(wrong.slice(0, 5), []);
    assert.ok(result.requests.total > 0 && answers >= result.requests.total, `${answers} answers checked of ${result.requests.total}`);
    assert.ok(middle && end);
    assert.ok(end.heapMb - middle.heapMb < MAX_HEAP_GROWTH_MB, `heap grew from ${middle.heapMb} to ${end.heapMb} MB`);
    assert.ok(end.rssMb - middle.rssMb < MAX_RSS_GROWTH_MB, `RSS grew from ${middle.rssMb} to ${end.rssMb} MB`);
  });
});
