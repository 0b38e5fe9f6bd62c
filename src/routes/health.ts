import Router from '@koa/router';
import type { VerdictCounters } from '../metrics.ts';

export interface HealthOptions {
  /** Resolves when the session lookups answer; rejects otherwise. */
  ping: () => Promise<void>;
  counters: VerdictCounters;
}

export function healthRoutes({ ping, counters }: HealthOptions): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await ping();
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
  });
  router.get('/metrics', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/plain; version=0.0.4';
    ctx.body = counters.toPrometheus();
  });
  return router;
}
