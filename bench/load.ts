import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export type LoadGenerator = 'autocannon' | 'wrk';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Session cookies cycled through by every connection; none sends no Cookie header. */
  cookies: string[];
  cookieName?: string;
}

export interface LoadResult {
  rps: number;
  /** Latency percentiles, milliseconds. */
  p50: number;
  p99: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers: any of them makes the measurement worthless. */
  failures: number;
}

const WRK_SCRIPT = fileURLToPath(new URL('wrk-cookies.lua', import.meta.url));

/** Closed-loop load: `connections` keep-alive connections, each sending its next request on each answer. */
async function withAutocannon({ url, connections, durationS, cookies, cookieName = 'sessionid' }: LoadOptions): Promise<LoadResult> {
  const requests = cookies.length === 0 ? [{ method: 'GET' }] : cookies.map((cookie) => ({ method: 'GET', headers: { cookie: `${cookieName}=${cookie}` } }));
  const result = await autocannon({ url, connections, duration: durationS, sampleInt: 100, timeout: 10, requests });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.non2xx,
  };
}

/**
 * The same load from wrk (-t1), the C tool the targets were measured with: it spends about a quarter
 * of autocannon's CPU per request, which matters when client, server and PostgreSQL share two cores.
 * Whole seconds only.
 */
async function withWrk({ url, connections, durationS, cookies, cookieName = 'sessionid' }: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(durationS))}s`, '--timeout', '10s', '-s', WRK_SCRIPT, url];
  const child = spawn('wrk', args, { env: { ...process.env, BENCH_COOKIES: cookies.join(' '), BENCH_COOKIE_NAME: cookieName }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const line = /^BENCH (.*)$/m.exec(output)?.[1];
  if (code !== 0 || line === undefined) throw new Error(`wrk failed (exit ${code}): ${output.trim()}`);
  const field = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(line)?.[1] ?? NaN);
  const requests = field('requests');
  return {
    rps: requests / (field('duration_us') / 1e6),
    p50: field('p50_us') / 1000,
    p99: field('p99_us') / 1000,
    requests,
    failures: field('failures'),
  };
}

export function applyLoad(generator: LoadGenerator, options: LoadOptions): Promise<LoadResult> {
  return generator === 'wrk' ? withWrk(options) : withAutocannon(options);
}
