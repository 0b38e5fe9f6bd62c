import { spawn } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A command in a process group of its own, as a terminal runs it: a signal to the group reaches every process. */
export interface Spawned {
  pid: number;
  output(): string;
  /** Resolves with the first match of pattern in stdout+stderr; rejects (with the output) after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  exited: Promise<Exit>;
  /** Signals the group (what Ctrl-C does) or just the process; nothing when it has gone. */
  kill(signal: NodeJS.Signals, target: 'group' | 'process'): void;
  /** Whether any process of the group is still running. */
  groupAlive(): boolean;
}

const groups = new Set<number>();
// Whatever happens to the test, nothing it started outlives it.
process.once('exit', () => {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** The environment a newcomer's shell would have: no DATABASE_URL, not production. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // npm_* come from the npm that runs the tests; NODE_OPTIONS from the test runner.
    if (value !== undefined && !name.startsWith('npm_') && !['NODE_ENV', 'NODE_OPTIONS'].includes(name)) env[name] = value;
  }
  // Empty rather than absent, so a developer's .env cannot set them either (loadEnvFile never overrides).
  return { ...env, DATABASE_URL: '', DJANGO_SECRET_KEY: '', ...extra };
}

export function spawnGroup(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Spawned {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid as number;
  groups.add(pid);
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  let closed = false;
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  child.on('close', () => {
    closed = true;
    for (const wake of waiters) wake();
  });
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const groupAlive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    pid,
    output: () => output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => settle(`within ${timeoutMs} ms`), timeoutMs);
        const settle = (failure?: string) => {
          clearTimeout(timer);
          waiters.delete(check);
          const match = pattern.exec(output);
          if (match) resolve(match);
          else reject(new Error(`no ${pattern} ${failure}; output:\n${output}`));
        };
        const check = () => {
          if (pattern.test(output)) settle();
          else if (closed) settle('before the process exited');
        };
        waiters.add(check);
        check();
      });
    },
    exited,
    kill(signal, target) {
      try {
        process.kill(target === 'group' ? -pid : pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
    groupAlive,
  };
}

/** Polls until the process group is empty; false if it still is not after timeoutMs. */
export async function groupGone(spawned: Spawned, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (spawned.groupAlive()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  groups.delete(spawned.pid);
  return true;
}

/** A temporary directory the `postgres` user can reach when the tests run as root. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}
