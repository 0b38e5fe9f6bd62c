/**
 * Django's database or session cache did not answer (down, refused, or past `timeoutMs`): the visitor gets a
 * 503, never a verdict. `status`/`statusCode` make Koa's, Express's and Fastify's default error handling
 * answer 503; `source` says which one failed.
 */
export class DjangoAuthUnavailableError extends Error {
    name = 'DjangoAuthUnavailableError';
    status = 503;
    statusCode = 503;
    /** Koa and http-errors show an exposed error's message: it names no host, key or user. */
    expose = true;
    source;
    constructor(cause, source = 'database') {
        super(source === 'cache' ? 'The session cache is not answering' : 'The database is not answering', { cause });
        this.source = source;
    }
}
//# sourceMappingURL=unavailable.js.map