import type { Middleware } from 'koa';
import { DatabaseUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface ErrorOptions {
  logger: Logger;
  /** Paths answered with JSON errors rather than an HTML page. */
  isApi: (path: string) => boolean;
  production: boolean;
}

/**
 * Turns failures into pages: 503 (with Retry-After) when the database does not answer, 404 for unknown
 * paths, 500 otherwise. No stack trace or internal message reaches the visitor in production.
 */
export function errorPages({ logger, isApi, production }: ErrorOptions): Middleware {
  return async function errorPages(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) ctx.throw(404);
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const status = (error as { status?: number }).status ?? 500;
      const unavailable = error instanceof DatabaseUnavailableError;
      if (unavailable) {
        logger.warn({ requestId: ctx.state.requestId, err: { message: (error.cause as Error)?.message } }, 'database unavailable');
        ctx.set('Retry-After', '5');
      } else if (status >= 500) {
        logger.error({ requestId: ctx.state.requestId, err: error }, 'unhandled error');
      }
      const message = unavailable
        ? 'Service temporarily unavailable'
        : status < 500
          ? (error as { expose?: boolean }).expose ? error.message : 'Request failed'
          : 'Internal server error';
      ctx.status = status;
      ctx.state.loggedIn = false;
      ctx.state.user = null;
      if (isApi(ctx.path)) {
        ctx.body = { error: message, status };
        return;
      }
      await ctx.render('layout.ejs', {
        view: 'error',
        title: message,
        status,
        message,
        detail: production || status < 500 || unavailable ? null : error.stack,
      });
      ctx.status = status;
    }
  };
}
