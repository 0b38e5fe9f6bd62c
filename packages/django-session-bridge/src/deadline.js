/** The database had DB_TIMEOUT_MS to answer, all waits together, and did not. */
export class DeadlineExceededError extends Error {
    name = 'DeadlineExceededError';
}
/**
 * `work`'s outcome, or a rejection once `ms` have passed. pg's timeouts bound each wait on its own (a pool
 * slot, a connect, a query) and one request can need several in a row; the visitor's answer must not.
 */
export function withinDeadline(work, ms) {
    let timer;
    const expired = new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceededError(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
//# sourceMappingURL=deadline.js.map