import { withinDeadline } from "../deadline.js";
/** The cache did not answer in time, or refused: a 503, never a verdict. */
export class CacheUnavailableError extends Error {
    name = 'CacheUnavailableError';
    constructor(cause) {
        super('The session cache is not answering', { cause });
    }
}
/** One read, bounded by timeoutMs, with every failure to answer turned into CacheUnavailableError. */
export async function readCache(cache, key, timeoutMs) {
    try {
        return await withinDeadline(cache.read(key), timeoutMs);
    }
    catch (error) {
        throw new CacheUnavailableError(error);
    }
}
//# sourceMappingURL=session-cache.js.map