import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { VerdictCounters } from './metrics.ts';
import { errorPages } from './middleware/errors.ts';
import { views } from './middleware/views.ts';
import { requestLog } from './middleware/request-log.ts';
import { sessionAuth } from './middleware/session-auth.ts';
import { apiRoutes } from './routes/api.ts';
import { healthRoutes } from './routes/health.ts';
import { pageRoutes } from './routes/pages.ts';
import type { Database } from './db.ts';
import { withinDeadline } from './deadline.ts';
import type { Authenticate } from './sessions/authenticate.ts';
import { authenticateFromConfig, storeFromConfig } from './sessions/from-config.ts';
import { probeStore } from './sessions/probe.ts';
import type { SessionStore } from './sessions/store.ts';

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
  counters?: VerdictCounters;
  /** Extra routes mounted under BASE_PATH (the demo's log-in route). */
  extraRoutes?: Router[];
  /** Where the lookups go; by default the configured session store (the benchmark swaps it). */
  store?: SessionStore;
}

export function createApp({ config, db, logger, counters = new VerdictCounters(), extraRoutes = [], store = storeFromConfig(config, db) }: AppDependencies): Koa {
  const authenticate = authenticateFromConfig(config, store);
  // DB_TIMEOUT_MS bounds each answer as a whole, however many pool, connect and query waits it takes.
  const decide: Authenticate = (cookie) => withinDeadline(authenticate(cookie), config.dbTimeoutMs);
  // The pages' own lookups through the same store and deadline (never the decision cache): healthz fails
  // whenever they would, rather than pinging by a route that may still work.
  const ping = () => withinDeadline(probeStore(store, config.sessionEngine), config.dbTimeoutMs);
  const app = new Koa();
  // nginx sits in front: X-Forwarded-For/-Proto/-Host describe the visitor's request.
  app.proxy = true;
  app.silent = true;
  const apiPrefix = `${config.basePath}/api/`;
  const jsonPaths = new Set([`${config.basePath}/healthz`, `${config.basePath}/metrics`]);

  // Probes and scrapes are answered before the session lookup: healthz reports the database rather than a
  // session that happens to come with the probe, and neither counts as a visitor's verdict.
  const operations = new Router({ prefix: config.basePath || undefined });
  const health = healthRoutes({ ping, counters });
  operations.use(health.routes(), health.allowedMethods());

  const router = new Router({ prefix: config.basePath || undefined });
  for (const routes of [pageRoutes(config), apiRoutes(), ...extraRoutes]) {
    router.use(routes.routes(), routes.allowedMethods());
  }

  app.use(requestLog(logger));
  app.use(helmet());
  app.use(views(VIEWS, { cache: config.production }));
  app.use(errorPages({ logger, production: config.production, isApi: (path) => path.startsWith(apiPrefix) || jsonPaths.has(path) }));
  app.use(operations.routes());
  app.use(sessionAuth({ authenticate: decide, cookieName: config.sessionCookieName, counters }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
