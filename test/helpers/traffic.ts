// Visitors hammering the service while a backend goes away: shared by the outage tests.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';

export const DB_TIMEOUT_MS = 1000;
// DB_TIMEOUT_MS bounds the whole lookup; the rest is slack for a CI machine whose 2 cores are also running
// another test file (the load test, say). A request that takes longer than this is a hang.
export const ANSWER_WITHIN_MS = DB_TIMEOUT_MS + 1000;
export const PATHS = ['/elixir/', '/elixir/api/me', '/elixir/healthz'] as const;
// As many as the pool has connections (buildApp's 4) and more, without starving a small machine's CPU.
export const VISITORS = 6;

export interface Sample {
  path: (typeof PATHS)[number];
  startedAt: number;
  ms: number;
  status: number;
  /** What the response says about the visitor: null for healthz and for error responses without a verdict. */
  loggedIn: boolean | null;
  body: string;
  error?: string;
}

export async function probe(base: string, path: Sample['path'], cookie: string): Promise<Sample> {
  const startedAt = performance.now();
  try {
    const res = await fetch(base + path, { headers: { cookie: `sessionid=${cookie}` }, signal: AbortSignal.timeout(ANSWER_WITHIN_MS * 3) });
    const body = await res.text();
    const ms = performance.now() - startedAt;
    let loggedIn: boolean | null = null;
    if (path === '/elixir/' && res.status === 200) loggedIn = body.includes('Logged In!');
    if (path === '/elixir/api/me' && res.status === 200) loggedIn = (JSON.parse(body) as { loggedIn: boolean }).loggedIn;
    return { path, startedAt, ms, status: res.status, loggedIn, body };
  } catch (error) {
    return { path, startedAt, ms: performance.now() - startedAt, status: 0, loggedIn: null, body: '', error: String(error) };
  }
}

/** Concurrent visitors, each requesting the page, the API and healthz in turn until stopped. */
export function traffic(base: string, cookie: string, visitors: number): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: visitors }, async (_, visitor) => {
    for (let i = visitor; running; i++) samples.push(await probe(base, PATHS[i % PATHS.length] as Sample['path'], cookie));
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

export function assertUnavailable(sample: Sample): void {
  assert.equal(sample.status, 503, `${sample.path} during the outage: ${sample.body.slice(0, 200)}`);
  if (sample.path === '/elixir/') {
    assert.match(sample.body, /Service Unavailable/);
    assert.doesNotMatch(sample.body, /Logged In!/);
  } else if (sample.path === '/elixir/api/me') {
    assert.deepEqual(JSON.parse(sample.body), { error: 'Service temporarily unavailable', status: 503 });
  } else {
    assert.deepEqual(JSON.parse(sample.body), { status: 'unavailable' });
  }
}

/** Every answer is on time, and none is a wrong verdict: the session is logged in, or the answer is a 503. */
export function assertNeverWrong(samples: Sample[]): void {
  for (const sample of samples) {
    assert.equal(sample.error, undefined, `${sample.path}: the service must always answer`);
    assert.ok(sample.ms <= ANSWER_WITHIN_MS, `${sample.path} took ${Math.round(sample.ms)} ms`);
    assert.ok(sample.status === 200 || sample.status === 503, `${sample.path}: status ${sample.status}`);
    if (sample.status === 200 && sample.path !== '/elixir/healthz') assert.equal(sample.loggedIn, true, `${sample.path}: a wrong verdict`);
  }
}

export function summary(samples: Sample[]): string {
  const ms = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const pick = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
  return `${samples.length} requests, p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms, max ${pick(1)} ms`;
}


/** Page, API and healthz all 200, and the cookie logged in. */
export async function assertHealthy(base: string, cookie: string): Promise<void> {
  for (const path of PATHS) {
    const sample = await probe(base, path, cookie);
    assert.equal(sample.status, 200, `${path}: ${sample.body.slice(0, 200)}`);
    if (path !== '/elixir/healthz') assert.equal(sample.loggedIn, true);
  }
}
