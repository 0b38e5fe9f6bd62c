import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createApp } from './app.ts';
import { runPrimary } from './cluster.ts';
import { ConfigError, loadConfig, type Config, loadDotEnv } from './config.ts';
import { openDatabase, type DjangoDatabase } from './databases/open.ts';
import { createLogger, type Logger } from './logger.ts';
import { openSessionCache } from './sessions/from-config.ts';
import type { ServiceReplica as Replica } from './sessions/replica.ts';
import { openReplicaFromConfig } from './sessions/replica.ts';
import type { SessionCache } from 'django-session-bridge';
import { startupProblem } from './startup-check.ts';

export interface Running {
  server: Server;
  db: DjangoDatabase;
  close(): Promise<void>;
}

/** Starts the service on config.host:config.port. */
export async function start(config: Config, logger: Logger, db: DjangoDatabase, replica?: Replica, cache?: SessionCache): Promise<Running> {
  const app = createApp({ config, db, replica, logger, cache });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  let closing = false;
  // A keep-alive connection still serving a request when close() is called only becomes idle once the
  // response is sent: close it then, rather than keeping the process up for keepAliveTimeout.
  server.on('request', (_req, res) => {
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    server,
    db,
    async close() {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all([db.close(), replica?.close(), cache?.close()]);
    },
  };
}

/**
 * pino writes to stdout asynchronously: exiting at once would let the exit's synchronous flush of the last
 * line ("stopped") overtake a write still in flight (the last request's line), or lose it.
 */
function exitAfterFlush(logger: Logger, code: number): void {
  logger.flush(() => process.exit(code));
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the pool, exit 0. */
export function closeOnSignals(running: Running, logger: Logger, graceMs = 10_000): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('in-flight requests did not finish in time');
      process.exit(1);
    }, graceMs);
    force.unref();
    running.close().then(
      () => {
        logger.info('stopped');
        exitAfterFlush(logger, 0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exitAfterFlush(logger, 1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The service's entry; `npm run dev` runs it too when DATABASE_URL is set. */
export async function main(): Promise<void> {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.databaseUrl === undefined) {
    console.error('Configuration error: DATABASE_URL is not set (point it at Django\'s database).');
    process.exit(1);
  }
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    runPrimary({ workers: config.webConcurrency, logger });
    return;
  }
  const db = await openDatabase({
    url: config.databaseUrl,
    poolMax: config.dbPoolMax,
    timeoutMs: config.dbTimeoutMs,
    onIdleError: (error) => logger.warn({ err: { message: error.message } }, 'idle database connection lost'),
  });
  const replica = openReplicaFromConfig(config, {
    onIdleError: (error) => logger.warn({ err: { message: error.message } }, 'idle replica connection lost'),
    onChange: (state, usable) =>
      usable ? logger.info({ replica: state }, 'read replica in use') : logger.warn({ replica: state }, 'read replica bypassed: the primary answers'),
  });
  const cache = await openSessionCache(config);
  const problem = await startupProblem(config, db, replica, cache);
  if (problem !== null) {
    console.error(`Start-up check failed: ${problem}`);
    await Promise.all([db.close(), replica?.close(), cache?.close()]);
    process.exit(1);
  }
  const running = await start(config, logger, db, replica, cache);
  logger.info({ url: `http://${config.host}:${config.port}${config.basePath}/` }, 'listening');
  closeOnSignals(running, logger);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
