import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.ts';

export interface PrimaryOptions {
  /** Worker processes to keep running (WEB_CONCURRENCY). */
  workers: number;
  logger: Logger;
  /** How long workers get to finish their requests after SIGTERM before they are killed. */
  graceMs?: number;
}

/**
 * The primary of WEB_CONCURRENCY worker processes: it serves nothing itself (node:cluster hands the
 * listening socket's connections to the workers, each with its own database pool and decision cache).
 *
 * A worker that dies after it started serving is replaced. One that dies before it ever listened stops
 * the service with exit code 1: a start-up failure (port taken, bad build) would only repeat.
 *
 * SIGTERM or SIGINT: every worker gets SIGTERM and shuts down gracefully (stops accepting, finishes its
 * in-flight requests, closes its pool); the primary exits 0 once all of them have exited 0, 1 otherwise.
 * Workers still running graceMs (plus a margin) later are killed.
 */
export function runPrimary({ workers, logger, graceMs = 10_000 }: PrimaryOptions): void {
  const running = new Set<Worker>();
  const served = new WeakSet<Worker>();
  let stopping = false;
  let failed = false;

  function fork(): void {
    const worker = cluster.fork();
    running.add(worker);
    worker.once('listening', () => served.add(worker));
  }

  function stop(reason: string): void {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, workers: running.size }, 'stopping workers');
    for (const worker of running) worker.process.kill('SIGTERM');
    // The workers' own deadline is graceMs; this only catches a worker that is stuck past it.
    const force = setTimeout(() => {
      logger.error({ workers: running.size }, 'workers did not stop in time; killing them');
      for (const worker of running) worker.process.kill('SIGKILL');
    }, graceMs + 2000);
    force.unref();
  }

  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    // A worker still starting when SIGTERM came had nothing in flight: its default death is a clean stop.
    const clean = (code === 0 && signal === null) || (stopping && signal === 'SIGTERM' && !served.has(worker));
    if (!stopping) {
      if (served.has(worker)) {
        logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
        fork();
        return;
      }
      logger.fatal({ pid: worker.process.pid, code, signal }, 'worker failed to start');
      failed = true;
      stop('a worker failed to start');
    } else if (!clean) {
      logger.error({ pid: worker.process.pid, code, signal }, 'worker did not stop cleanly');
      failed = true;
    }
    if (running.size === 0) {
      logger.info({ failed }, 'all workers stopped');
      process.exit(failed ? 1 : 0);
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(signal));
  logger.info({ workers }, 'starting workers');
  for (let i = 0; i < workers; i += 1) fork();
}
