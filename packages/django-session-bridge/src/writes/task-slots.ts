import { availableParallelism } from 'node:os';

/** Runs `work` when one of the slots is free; the rest wait in arrival order. */
export type TaskSlots = <T>(work: () => Promise<T>) => Promise<T>;

/** At most `slots` tasks at once. */
export function taskSlots(slots: number): TaskSlots {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return async (work) => {
    if (running < slots) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      release();
    }
  };
}

/**
 * How many password checks run at once: one fewer than the cores (at least one). A PBKDF2 hash at Django
 * 5.2's 1,000,000 iterations is ~0.5 s of CPU on the thread pool; a flood of log-ins would otherwise take
 * every core from the pages the same process serves.
 */
export const PASSWORD_CHECK_SLOTS = Math.max(1, availableParallelism() - 1);
