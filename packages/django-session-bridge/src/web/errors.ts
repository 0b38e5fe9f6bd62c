/**
 * What a guard or the CSRF check raises when it refuses a request. Each carries `status` and `statusCode`
 * (and `expose`), so Koa's, Express's and Fastify's default error handling answer with that status and an
 * app's own error page can render it.
 */
export class DjangoRequestRefusedError extends Error {
  override name = 'DjangoRequestRefusedError';
  readonly status: 401 | 403;
  readonly statusCode: 401 | 403;
  /** The message names no user, token or secret: it may be shown. */
  readonly expose = true;

  constructor(status: 401 | 403, message: string) {
    super(message);
    this.status = status;
    this.statusCode = status;
  }
}

/** django.core.exceptions.PermissionDenied: permission_required with raiseException, or an API path's refusal. */
export class PermissionDeniedError extends DjangoRequestRefusedError {
  override name = 'PermissionDeniedError';
  constructor() {
    super(403, 'Forbidden');
  }
}

/** An anonymous visitor refused on a path that answers instead of redirecting (an API has no log-in page). */
export class NotAuthenticatedError extends DjangoRequestRefusedError {
  override name = 'NotAuthenticatedError';
  constructor() {
    super(401, 'Unauthorized');
  }
}

/** Django's csrf_failure heading. */
export const CSRF_FAILURE_MESSAGE = 'CSRF verification failed. Request aborted.';

/**
 * CsrfViewMiddleware's rejection. `reason` is always there, for the log (Django logs it on every
 * rejection); the message shows it only when `showReason` is on, as Django's csrf_failure shows it only
 * under DEBUG.
 */
export class CsrfFailureError extends DjangoRequestRefusedError {
  override name = 'CsrfFailureError';
  /** Why Django would refuse: one of its REASON_* texts. Safe to log, shown to visitors only under DEBUG. */
  readonly reason: string;
  /** Whether the reason is part of the message (DEBUG). */
  readonly showReason: boolean;

  constructor(reason: string, showReason: boolean) {
    super(403, showReason ? `${CSRF_FAILURE_MESSAGE} Reason: ${reason}` : CSRF_FAILURE_MESSAGE);
    this.reason = reason;
    this.showReason = showReason;
  }
}
