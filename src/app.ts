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
import { permissionsFor } from './middleware/user-permissions.ts';
import { apiRoutes } from './routes/api.ts';
import { healthRoutes } from './routes/health.ts';
import { pageRoutes } from './routes/pages.ts';
import type { Database } from './db.ts';
import { withinDeadline } from './deadline.ts';
import type { Authenticate } from './sessions/authenticate.ts';
import { cachedFromConfig, lookupsFromConfig, storeFromConfig } from './sessions/from-config.ts';
import { createPermissionStore } from './sessions/permissions-store.ts';
import { NO_SUCH_KEY } from './sessions/probe.ts';
import type { Replica } from './sessions/replica.ts';
import { permissionsFromReplica } from './sessions/replica-permissions.ts';

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));

export interface AppDependencies {
  config: Config;
  db: Database;
  /** DATABASE_REPLICA_URL's replica, when set: the lookups go there first. */
  replica?: Replica;
  logger: Logger;
  counters?: VerdictCounters;
  /** Extra routes mounted under BASE_PATH (the demo's log-in route). */
  extraRoutes?: Router[];
  /** The pages' session lookups, before the decision cache; by default the configured stores (the benchmark swaps them). */
  lookups?: Authenticate;
}

export function createApp({
  config,
  db,
  replica,
  logger,
  counters = new VerdictCounters(),
  extraRoutes = [],
  lookups = lookupsFromConfig(config, db, { replica, onAnswer: (source) => counters.countSource(source) }),
}: AppDependencies): Koa {
  if (replica) counters.watchReplica(replica.state);
  const authenticate = cachedFromConfig(config, lookups);
  // DB_TIMEOUT_MS bounds each answer as a whole, however many pool, connect and query waits it takes.
  const decide: Authenticate = (cookie) => withinDeadline(authenticate(cookie), config.dbTimeoutMs);
  const loadPermissions = replica
    ? permissionsFromReplica(createPermissionStore(db.prisma), createPermissionStore(replica.db.prisma), replica)
    : createPermissionStore(db.prisma);
  const primaryStore = storeFromConfig(config, db);
  // healthz makes the pages' own lookups, within the same deadline (never through the decision cache): the
  // session lookup for a key no session has (replica routing included), the user and permission lookups for
  // an id no user has. It fails whenever they would, rather than pinging by a route that may still work.
  const ping = async () => {
    await withinDeadline(Promise.all([lookups(NO_SUCH_KEY), primaryStore.findUser(0n), loadPermissions(0n, 'own')]), config.dbTimeoutMs);
  };
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
  const permissions = permissionsFor({
    load: loadPermissions,
    backends: config.django.authenticationBackends,
    timeoutMs: config.dbTimeoutMs,
    counters,
  });
  app.use(sessionAuth({ authenticate: decide, cookieName: config.sessionCookieName, counters, permissions }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
