import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { keyHash, type Logger } from '../logger.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One structured line per request. The session key appears only as a short hash; the cookie, the session
 * data and the verdict's reason never reach the visitor (the reason is logged at debug level).
 */
export function requestLog(logger: Logger): Middleware {
  return async function requestLog(ctx, next) {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const cookie = ctx.state.sessionCookie as string | undefined;
      const line = {
        requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        session: cookie ? keyHash(cookie) : null,
      };
      if (ctx.state.authReason !== undefined) logger.debug({ ...line, reason: ctx.state.authReason }, 'verdict');
      if (ctx.status >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request');
    }
  };
}
