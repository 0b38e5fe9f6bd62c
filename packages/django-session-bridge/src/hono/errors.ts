import { HTTPException } from 'hono/http-exception';

/** An error with an HTTP status (a guard's or CSRF's refusal, an oversized form) as Hono's HTTPException. */
export function asHttpException(error: unknown): unknown {
  const status = (error as { status?: unknown } | null)?.status;
  if (error instanceof Error && (status === 400 || status === 401 || status === 403)) return new HTTPException(status, { message: error.message, cause: error });
  return error;
}
