import { fileURLToPath } from 'node:url';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { VerdictCounters } from './metrics.ts';
import { csrfFailurePage } from './middleware/csrf.ts';
import { errorPages } from './middleware/errors.ts';
import { views } from './middleware/views.ts';
import { requestLog } from './middleware/request-log.ts';
import { createDjangoAuthFromConfig, type Authenticate, type DjangoAuth, type Replica, type SessionCache } from 'django-session-bridge';
import { csrfProtection, djangoSession } from 'django-session-bridge/koa';
import { accountRoutes } from './routes/account.ts';
import { apiRoutes } from './routes/api.ts';
import { healthRoutes } from './routes/health.ts';
import { loginRoutes } from './routes/login.ts';
import { pageRoutes } from './routes/pages.ts';
import type { DjangoDatabase } from './databases/open.ts';
import { databaseStoreFromConfig, permissionStoreFromConfig } from './sessions/from-config.ts';
import { tablesFromPrisma } from 'django-session-bridge/prisma';

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

/**
 * The service's DjangoAuth: the library on the service's own database (its Prisma schema names the tables;
 * SESSION_STORE picks the library's SQL or Prisma Client), its replica and cache, counted in `counters`.
 */
export function serviceAuth({ config, db, replica, cache, lookups, counters }: Omit<AppDependencies, 'logger' | 'extraRoutes' | 'counters'> & { counters: VerdictCounters }): DjangoAuth {
  // The replica is the caller's to open and close: without one, the primary answers.
  return createDjangoAuthFromConfig(replica ? config : { ...config, databaseReplicaUrl: undefined }, {
    ...config.writes,
    database: db,
    replica,
    cache,
    lookups,
    tables: tablesFromPrisma(db.prisma),
    store: databaseStoreFromConfig(config, db),
    permissions: permissionStoreFromConfig(config, db),
    events: {
      onVerdict: (reason) => counters.count(reason),
      onUnavailable: (error) => (error.source === 'cache' ? counters.countCacheError() : counters.countDbError()),
      onReadSource: (source) => counters.countSource(source),
    },
  });
}

export function createApp({ config, db, replica, logger, counters = new VerdictCounters(), extraRoutes = [], cache, lookups }: AppDependencies): Koa {
  if (replica) counters.watchReplica(replica.state);
  const auth = serviceAuth({ config, db, replica, cache, lookups, counters });
  // healthz makes the pages' own lookups, within the same deadline (never through the decision cache): the
  // session lookup for a key no session has (replica routing and DJANGO_CACHE_URL included), the user and
  // permission lookups for an id no user has. It fails whenever they would, rather than pinging by a route
  // that may still work.
  const ping = () => auth.ping();
  const app = new Koa();
  // Koa believes no forwarded header: what the visitor's request was (scheme, host, port) is read the way
  // Django reads it, under USE_X_FORWARDED_HOST and SECURE_PROXY_SSL_HEADER (the CSRF check and guards do).
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
  const account = accountRoutes({ isApi, basePath: config.basePath });
  // The log-in pages exist only with a write role: without DATABASE_WRITE_URL nothing here writes.
  const writes = config.writes.databaseWriteUrl ? [loginRoutes({ auth, config, isApi })] : [];
  for (const routes of [pageRoutes(config), apiRoutes(), account, ...writes, ...extraRoutes]) {
    router.use(routes.routes(), routes.allowedMethods());
  }

  app.use(requestLog(logger));
  // same-origin, Django's SECURE_REFERRER_POLICY: with no-referrer a browser sends "Origin: null" with our
  // forms' POSTs, and Django 4.0+ refuses them (its Origin check), as it would its own pages' forms.
  app.use(helmet({ referrerPolicy: { policy: 'same-origin' } }));
  app.use(views(VIEWS, { cache: config.production }));
  app.use(errorPages({ logger, production: config.production, isApi }));
  app.use(operations.routes());
  app.use(async (ctx, next) => {
    // The answer depends on who is logged in, and no cache, shared or the browser's, should keep it.
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(djangoSession(auth));
  app.use(csrfFailurePage({ logger, isApi }));
  // CSRF before the body parser, as Django checks before it reads request.POST: an unsafe request that Django
  // refuses gets its 403, never a parser's 400 or 413. The check reads a form's token itself, bounded like
  // Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), and leaves the fields for the parser.
  app.use(csrfProtection());
  app.use(bodyParser({ enableTypes: ['form', 'json'], formLimit: '2.5mb', jsonLimit: '2.5mb' }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
