/** The bound for one input decided at its size limit: "well under 100 ms". */
export const WORST_CASE_MS = 100;

/**
 * The fastest of up to `attempts` calls of fn, in milliseconds, stopping once one takes under half of
 * WORST_CASE_MS. A super-linear scan at its bound is slow in every call (seconds to minutes); a machine
 * busy with other work slows some calls, rarely all of them, so the minimum keeps the limit meaningful.
 */
export function fastestMs(fn: () => unknown, attempts = 10): number {
  let best = Infinity;
  for (let i = 0; i < attempts && best >= WORST_CASE_MS / 2; i += 1) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}
