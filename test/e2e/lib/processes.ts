import { spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
export { freePort } from '../../../src/dev/free-port.ts';

export interface StartOptions {
  env: Record<string, string>;
  cwd?: string;
  /** The service writes this pid file itself (nginx, gunicorn); otherwise the supervisor writes one. */
  ownPidFile?: string;
}

export interface Service {
  name: string;
  pid: number;
  pidFile: string;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited and been reaped. */
  exited: Promise<string>;
  hasExited(): boolean;
}

const STOP_GRACE_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;

// Process groups still running when this process exits, however it exits: a failed `before` or a Ctrl-C
// must not leave nginx, gunicorn or the service behind. They are in groups of their own, so a signal to the
// terminal's group does not reach them, and a process killed by a signal runs no 'exit' listener.
const running = new Set<number>();
const runDirs = new Set<string>();
function killRunning(): void {
  for (const group of running) killGroup(group, 'SIGKILL');
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killRunning);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killRunning();
    process.kill(process.pid, signal);
  });
}

function killGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(group: number): boolean {
  return killGroup(group, 0);
}

/** The last lines of a log, for an error message. */
function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts and stops the end-to-end suite's processes. Each runs in its own process group (nginx and gunicorn
 * fork workers), logs to a file under logDir, and has a pid file under runDir, a fresh temporary directory.
 */
export class Supervisor {
  readonly services: Service[] = [];
  readonly runDir: string;

  constructor(readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
    this.runDir = mkdtempSync(join(tmpdir(), 'bridge-e2e-'));
    // As root, nginx's workers run as nobody and must reach their temp directories in here.
    chmodSync(this.runDir, 0o755);
    runDirs.add(this.runDir);
  }

  start(name: string, command: string, args: string[], options: StartOptions): Service {
    const logFile = join(this.logDir, `${name}.log`);
    const log = openSync(logFile, 'w');
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    let done = false;
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => {
        done = true;
        resolve(signal ?? `exit code ${code}`);
      });
      child.once('error', (error) => {
        done = true;
        resolve(error.message);
      });
    });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const pid = child.pid;
    running.add(pid);
    const pidFile = options.ownPidFile ?? join(this.runDir, `${name}.pid`);
    if (options.ownPidFile === undefined) {
      writeFileSync(pidFile, `${pid}\n`);
      void exited.then(() => rmSync(pidFile, { force: true }));
    }
    const service: Service = { name, pid, pidFile, logFile, exited, hasExited: () => done };
    this.services.push(service);
    return service;
  }

  /** Stops every service, newest first: SIGTERM to its group, SIGKILL after the grace period. */
  async stopAll(): Promise<void> {
    const leftovers: string[] = [];
    for (const service of [...this.services].reverse()) {
      if (!service.hasExited()) killGroup(service.pid, 'SIGTERM');
      // Unref'd: a pending grace timer must not keep the test process alive once everything has stopped.
      const timer = sleep(STOP_GRACE_MS, 'timeout', { ref: false });
      if ((await Promise.race([service.exited, timer])) === 'timeout') {
        killGroup(service.pid, 'SIGKILL');
        await service.exited;
      }
      // The group outlives its leader only if a worker was orphaned; give it a moment, then kill it.
      for (let i = 0; i < 20 && groupAlive(service.pid); i++) await sleep(100);
      if (groupAlive(service.pid)) {
        leftovers.push(service.name);
        killGroup(service.pid, 'SIGKILL');
      }
      running.delete(service.pid);
    }
    this.services.length = 0;
    rmSync(this.runDir, { recursive: true, force: true });
    runDirs.delete(this.runDir);
    if (leftovers.length > 0) throw new Error(`processes of ${leftovers.join(', ')} outlived their stop and were killed`);
  }
}

/** Waits until url answers 200; fails at once, with the service's log, if the service exits. */
export async function waitForHttp(url: string, service: Service): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.hasExited()) throw new Error(`${service.name} exited (${await service.exited}) before ${url} answered:\n${logTail(service.logFile)}`);
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${service.name}: ${url} did not answer within ${READY_TIMEOUT_MS} ms (${last}):\n${logTail(service.logFile)}`);
}

/** Checks that a service which writes its own pid file runs in the foreground as the process we started. */
export function assertOwnPid(service: Service): void {
  const written = Number(readFileSync(service.pidFile, 'utf8').trim());
  if (written !== service.pid) throw new Error(`${service.name}: pid file says ${written}, but we started ${service.pid} (did it daemonize?)`);
}
