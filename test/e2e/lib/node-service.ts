import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp, type Supervisor } from './processes.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER = fileURLToPath(new URL('../../../src/server.ts', import.meta.url));

export interface NodeServiceSettings {
  databaseUrl: string;
  secretKey: string;
  djangoVersion: string;
  basePath: string;
  /** More of the service's variables (DATABASE_REPLICA_URL, DB_TIMEOUT_MS, DJANGO_SESSION_ENGINE, DJANGO_CACHE_URL, ...). */
  env?: Record<string, string>;
}

/** src/server.ts as production runs it, in a child process on a free loopback port; returns host:port. */
export async function startNodeService(supervisor: Supervisor, name: string, settings: NodeServiceSettings): Promise<string> {
  const port = await freePort();
  // Only what is set here: a developer's .env or shell must not change what the suite tests.
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    DATABASE_URL: settings.databaseUrl,
    DJANGO_SECRET_KEY: settings.secretKey,
    DJANGO_VERSION: settings.djangoVersion,
    BASE_PATH: settings.basePath,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'debug',
    SESSION_CACHE_TTL_MS: '0',
    ...settings.env,
  };
  const service = supervisor.start(name, process.execPath, ['--import', 'tsx', SERVER], { cwd: ROOT, env });
  const address = `127.0.0.1:${port}`;
  await waitForHttp(`http://${address}${settings.basePath.replace(/\/$/, '')}/healthz`, service);
  return address;
}
