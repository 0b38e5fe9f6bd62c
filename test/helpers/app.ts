import type Koa from 'koa';
import pg from 'pg';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { VerdictCounters } from '../../src/metrics.ts';
import { sessionCacheOptions } from '../../src/sessions/from-config.ts';
import { createMemcachedCache } from 'django-session-bridge/memcached';
import { createRedisCache } from 'django-session-bridge/redis';
import type { SessionCache } from 'django-session-bridge';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const SECRET_KEY = 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';

export function testConfig(url: string, env: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_URL: url, DJANGO_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'silent', ...env });
}

/** Collects pino's JSON lines, for tests that read the logs. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: Koa;
  config: Config;
  db: Database;
  counters: VerdictCounters;
  close(): Promise<void>;
}

/** openSessionCache's client, built synchronously (the test builders are synchronous). */
function cacheClient(config: Config): SessionCache | undefined {
  const { cache } = config;
  if (cache === undefined) return undefined;
  const options = sessionCacheOptions(config);
  return cache.kind === 'redis' ? createRedisCache(cache.url, cache, options) : createMemcachedCache(cache.url, options);
}

export function buildApp(config: Config, logger: Logger = createLogger('silent')): TestApp {
  const db = createDatabase({ url: config.databaseUrl as string, poolMax: 4, timeoutMs: config.dbTimeoutMs });
  const counters = new VerdictCounters();
  const cache = cacheClient(config);
  const app = createApp({ config, db, logger, counters, cache });
  return { app, config, db, counters, close: async () => void (await Promise.all([db.close(), cache?.close()])) };
}

/** A test file's world: a fresh Django database, a pool standing in for Django's writes, and app builders. */
export interface Fixture {
  database: TestDatabase;
  django: pg.Pool;
  app(env?: Record<string, string>, logger?: Logger): TestApp;
  close(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const database = await createTestDatabase();
  const django = new pg.Pool({ connectionString: database.url, max: 2 });
  const apps: TestApp[] = [];
  return {
    database,
    django,
    app(env = {}, logger) {
      const built = buildApp(testConfig(database.url, env), logger);
      apps.push(built);
      return built;
    },
    async close() {
      await Promise.all(apps.map((built) => built.close()));
      // pool.end() resolves before its connections have closed; dropping the database WITH (FORCE) under
      // one still closing makes it emit an error that no listener catches.
      let open = django.totalCount;
      const disconnected = new Promise<void>((resolve) => {
        if (open === 0) resolve();
        django.on('remove', () => {
          open -= 1;
          if (open === 0) resolve();
        });
      });
      await django.end();
      await disconnected;
      await database.drop();
    },
  };
}
