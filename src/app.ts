import { fileURLToPath } from 'node:url';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { VerdictCounters } from './metrics.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { errorPages } from './middleware/errors.ts';
import { views } from './middleware/views.ts';
import { requestLog } from './middleware/request-log.ts';
import { sessionAuth } from './middleware/session-auth.ts';
import { accountRoutes } from './routes/account.ts';
import { permissionsFor } from './middleware/user-permissions.ts';
import { apiRoutes } from './routes/api.ts';
import { healthRoutes } from './routes/health.ts';
import { pageRoutes } from './routes/pages.ts';
import type { DjangoDatabase } from './databases/open.ts';
import { withinDeadline } from './deadline.ts';
import type { Authenticate } from './sessions/authenticate.ts';
import { cachedFromConfig, lookupsFromConfig, permissionStoreFromConfig, storeFromConfig } from './sessions/from-config.ts';
import { NO_SUCH_KEY } from './sessions/probe.ts';
import type { Replica } from './sessions/replica.ts';
import { permissionsFromReplica } from './sessions/replica-permissions.ts';
import type { SessionCache } from './sessions/session-cache.ts';

const VIEWS = fileURLToPath(new URL('../views', import.meta.url));

export interface AppDependencies {
  config: Config;
  db: DjangoDatabase;
  /** DATABASE_REPLICA_URL's replica, when set: the lookups go there first. */
  replica?: Replica;
  logger: Logger;
  counters?: VerdictCounters;
  /** Extra routes mounted under BASE_PATH (the demo's log-in route). */
  extraRoutes?: Router[];
  /** The pages' session lookups, before the decision cache; by default the configured stores (the benchmark swaps them). */
  lookups?: Authenticate;
  /** DJANGO_CACHE_URL's client, when configured (openSessionCache); its owner closes it. */
  cache?: SessionCache;
}

export function createApp({
  config,
  db,
  replica,
  logger,
  counters = new VerdictCounters(),
  extraRoutes = [],
  cache,
  lookups = lookupsFromConfig(config, db, { replica, cache, onAnswer: (source) => counters.countSource(source) }),
}: AppDependencies): Koa {
  if (replica) counters.watchReplica(replica.state);
  const authenticate = cachedFromConfig(config, lookups);
  // DB_TIMEOUT_MS bounds each answer as a whole, however many pool, connect and query waits it takes.
  const decide: Authenticate = (cookie) => withinDeadline(authenticate(cookie), config.dbTimeoutMs);
  const loadPermissions = replica
    ? permissionsFromReplica(permissionStoreFromConfig(config, db), permissionStoreFromConfig(config, replica.db), replica)
    : permissionStoreFromConfig(config, db);
  const primaryStore = storeFromConfig(config, db, cache);
  // healthz makes the pages' own lookups, within the same deadline (never through the decision cache): the
  // session lookup for a key no session has (replica routing and DJANGO_CACHE_URL included), the user and
  // permission lookups for an id no user has. It fails whenever they would, rather than pinging by a route
  // that may still work.
  const ping = async () => {
    await withinDeadline(Promise.all([lookups(NO_SUCH_KEY), primaryStore.findUser(0n), loadPermissions(0n, 'own')]), config.dbTimeoutMs);
  };
  const app = new Koa();
  // Koa believes no forwarded header: what the visitor's request was (scheme, host, port) is read the way
  // Django reads it, under USE_X_FORWARDED_HOST and SECURE_PROXY_SSL_HEADER (ctx.state.requestOrigin).
  app.proxy = false;
  app.silent = true;
  const apiPrefix = `${config.basePath}/api/`;
  const jsonPaths = new Set([`${config.basePath}/healthz`, `${config.basePath}/metrics`]);
  const isApi = (path: string) => path.startsWith(apiPrefix) || jsonPaths.has(path);

  // Probes and scrapes are answered before the session lookup: healthz reports the database rather than a
  // session that happens to come with the probe, and neither counts as a visitor's verdict.
  const operations = new Router({ prefix: config.basePath || undefined });
  const health = healthRoutes({ ping, counters });
  operations.use(health.routes(), health.allowedMethods());

  const router = new Router({ prefix: config.basePath || undefined });
  const account = accountRoutes({ loginUrl: config.loginUrl, adminLoginUrl: config.adminLoginUrl, isApi, basePath: config.basePath });
  for (const routes of [pageRoutes(config), apiRoutes(), account, ...extraRoutes]) {
    router.use(routes.routes(), routes.allowedMethods());
  }

  app.use(requestLog(logger));
  // same-origin, Django's SECURE_REFERRER_POLICY: with no-referrer a browser sends "Origin: null" with our
  // forms' POSTs, and Django 4.0+ refuses them (its Origin check), as it would its own pages' forms.
  app.use(helmet({ referrerPolicy: { policy: 'same-origin' } }));
  app.use(views(VIEWS, { cache: config.production }));
  app.use(errorPages({ logger, production: config.production, isApi }));
  app.use(operations.routes());
  const permissions = permissionsFor({
    load: loadPermissions,
    backends: config.django.authenticationBackends,
    timeoutMs: config.dbTimeoutMs,
    counters,
  });
  app.use(sessionAuth({ authenticate: decide, cookieName: config.sessionCookieName, counters, permissions }));
  // Bounded like Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); the CSRF check reads the form's token.
  app.use(bodyParser({ enableTypes: ['form', 'json'], formLimit: '2.5mb', jsonLimit: '2.5mb' }));
  app.use(csrfProtection({ csrf: config.csrf, proxy: config.proxy, logger, isApi }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
