import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import views from 'koa-views';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { VerdictCounters } from './metrics.ts';
import { errorPages } from './middleware/errors.ts';
import { requestLog } from './middleware/request-log.ts';
import { sessionAuth } from './middleware/session-auth.ts';
import { apiRoutes } from './routes/api.ts';
import { healthRoutes } from './routes/health.ts';
import { pageRoutes } from './routes/pages.ts';
import type { Database } from './db.ts';
import { authenticateFromConfig } from './sessions/from-config.ts';

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
  counters?: VerdictCounters;
  /** Extra routes mounted under BASE_PATH (the demo's log-in route). */
  extraRoutes?: Router[];
}

export function createApp({ config, db, logger, counters = new VerdictCounters(), extraRoutes = [] }: AppDependencies): Koa {
  const authenticate = authenticateFromConfig(config, db);
  const ping = async () => {
    await db.prisma.$queryRaw`SELECT 1`;
  };
  const app = new Koa();
  // nginx sits in front: X-Forwarded-For/-Proto/-Host describe the visitor's request.
  app.proxy = true;
  app.silent = true;
  const apiPrefix = `${config.basePath}/api/`;
  const jsonPaths = new Set([`${config.basePath}/healthz`, `${config.basePath}/metrics`]);

  const router = new Router({ prefix: config.basePath || undefined });
  for (const routes of [pageRoutes(config), apiRoutes(), healthRoutes({ ping, counters }), ...extraRoutes]) {
    router.use(routes.routes(), routes.allowedMethods());
  }

  app.use(requestLog(logger));
  app.use(helmet());
  app.use(views(VIEWS, { extension: 'ejs', options: { cache: config.production } }));
  app.use(errorPages({ logger, production: config.production, isApi: (path) => path.startsWith(apiPrefix) || jsonPaths.has(path) }));
  app.use(sessionAuth({ authenticate, cookieName: config.sessionCookieName, counters }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
