import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parent pid in /proc/<pid>/stat: the field after the state, which follows the last ')' of the name. */
function parentPid(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The postmaster (first line of postmaster.pid) and every backend and helper process it forked. Linux only. */
export function serverPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && parentPid(name) === postmaster)
    .map(Number);
  return [postmaster, ...children];
}

/**
 * SIGSTOP to the whole server: open connections stay open and new ones are accepted by the kernel, but
 * nothing ever answers. That is a network partition or a wedged host, the case a timeout has to catch.
 */
export function freeze(dataDir: string): number[] {
  const pids = serverPids(dataDir);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return pids;
}

export function thaw(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Already gone: nothing to resume.
    }
  }
}
