/** The database had DB_TIMEOUT_MS to answer, all waits together, and did not. */
export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
}

/**
 * `work`'s outcome, or a rejection once `ms` have passed. pg's timeouts bound each wait on its own (a pool
 * slot, a connect, a query) and one request can need several in a row; the visitor's answer must not.
 */
export function withinDeadline<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  // One promise and one timer, settled by whichever comes first: this wraps every request's lookups.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceededError(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
