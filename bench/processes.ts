import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
export { freePort } from '../src/dev/free-port.ts';

export interface Response {
  status: number;
  body: string;
}

/** One GET on a fresh connection. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** The last few kilobytes of stderr, to say why a server did not come up. */
  stderr(): string;
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it is still there after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnServer(command: string, args: string[], env: Record<string, string>, cwd: string): Spawned {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4096)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid as number,
    stderr: () => stderr,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** Polls url until it answers 200; resolves with the milliseconds since `since`. */
export async function firstOk(url: string, server: Spawned, since: number, timeoutMs = 30_000, everyMs = 5): Promise<number> {
  const deadline = since + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  for (;;) {
    const ok = await get(url).then((res) => res.status === 200, () => false);
    if (ok) return performance.now() - since;
    if (exited) throw new Error(`${url}: the server exited before it answered. ${server.stderr().trim()}`);
    if (performance.now() > deadline) throw new Error(`${url}: no 200 within ${timeoutMs} ms. ${server.stderr().trim()}`);
    await sleep(everyMs);
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// USER_HZ: Linux reports process times in /proc in hundredths of a second.
const TICKS_PER_SECOND = 100;

/** One process's own CPU time so far, in milliseconds: in its own code (user) and in the kernel for it. */
export function ownCpuMs(pid: number): { user: number; kernel: number } {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: (Number(fields[11]) * 1000) / TICKS_PER_SECOND, kernel: (Number(fields[12]) * 1000) / TICKS_PER_SECOND };
  } catch {
    return { user: 0, kernel: 0 };
  }
}

/** CPU time (user + system) used so far by a process and its descendants, in milliseconds. */
export function treeCpuMs(pid: number): number {
  const own = ownCpuMs(pid);
  return children(pid).reduce((sum, child) => sum + treeCpuMs(child), own.user + own.kernel);
}

/** Resident memory of a process and all its descendants (cluster workers, gunicorn workers). */
export function treeRss(pid: number): number {
  return children(pid).reduce((sum, child) => sum + treeRss(child), rssBytes(pid));
}

/** Samples treeRss(pid) every everyMs until stopped; stop() returns the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = treeRss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRss(pid));
    },
  };
}
