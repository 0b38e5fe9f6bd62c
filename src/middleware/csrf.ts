import type { Middleware } from 'koa';
import { CsrfFailureError } from 'django-session-bridge/koa';
import type { Logger } from '../logger.ts';

export interface CsrfFailureOptions {
  logger: Logger;
  /** Paths answered with JSON rather than an HTML page. */
  isApi: (path: string) => boolean;
}

/**
 * Django's CSRF_FAILURE_VIEW for the library's csrfProtection: a refusal is logged with its reason (as
 * Django's "Forbidden (CSRF)" warning), and answered 403 with the service's page or JSON, which show the
 * reason only under DJANGO_DEBUG, as Django's csrf_failure does.
 */
export function csrfFailurePage({ logger, isApi }: CsrfFailureOptions): Middleware {
  return async function csrfFailurePage(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof CsrfFailureError)) throw error;
      logger.warn({ requestId: ctx.state.requestId, reason: error.reason, path: ctx.path }, 'Forbidden (CSRF)');
      const reason = error.showReason ? error.reason : null;
      ctx.status = 403;
      if (isApi(ctx.path)) ctx.body = { error: 'CSRF verification failed. Request aborted.', ...(reason === null ? {} : { reason }), status: 403 };
      else await ctx.render('layout.ejs', { view: 'csrf-failure', title: 'Forbidden (403)', reason });
      ctx.status = 403;
    }
  };
}
