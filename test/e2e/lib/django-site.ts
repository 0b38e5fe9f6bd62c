import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON } from './prerequisites.ts';
import { assertOwnPid, freePort, waitForHttp, type Supervisor } from './processes.ts';

/** The reference Django site (test/e2e/django_site), run by Debian's python3-django. */
export const DJANGO_SITE = fileURLToPath(new URL('../django_site/', import.meta.url));

export interface DjangoSiteSettings {
  databaseUrl: string;
  secretKey: string;
  /** More of the site's settings, by the variables refsite/settings.py reads (DJANGO_SESSION_ENGINE...). */
  env?: Record<string, string>;
}

function siteEnv({ databaseUrl, secretKey, env = {} }: DjangoSiteSettings): Record<string, string> {
  return {
    ...env,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DJANGO_SETTINGS_MODULE: 'refsite.settings',
    DJANGO_SECRET_KEY: secretKey,
    DATABASE_URL: databaseUrl,
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/** "3.2": the installed Django's major.minor, which the service is told to follow (DJANGO_VERSION). */
export function installedDjangoVersion(): string {
  const probe = spawnSync(PYTHON, ['-c', 'import django; print("%d.%d" % django.VERSION[:2])'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`cannot import django with ${PYTHON}: ${probe.stderr}`);
  return probe.stdout.trim();
}

/** Creates users through Django's own create_user (real password hashes): `manage.py create_e2e_users`. */
export async function createUsers(
  settings: DjangoSiteSettings,
  users: { active: string[]; inactive: string[]; password: string },
): Promise<void> {
  const args = ['manage.py', 'create_e2e_users', '--active', ...users.active, '--inactive', ...users.inactive];
  const child = spawn(PYTHON, args, {
    cwd: DJANGO_SITE,
    env: { ...siteEnv(settings), E2E_USER_PASSWORD: users.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`manage.py create_e2e_users failed (${code}):\n${output}`);
}

/** gunicorn serving the reference site on a free loopback port; returns its address (host:port). */
export async function startGunicorn(supervisor: Supervisor, settings: DjangoSiteSettings): Promise<string> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const pidFile = `${supervisor.runDir}/gunicorn.pid`;
  const args = [
    '-m', 'gunicorn', 'refsite.wsgi:application',
    '--bind', address,
    '--workers', '2',
    '--pid', pidFile,
    '--graceful-timeout', '5',
    '--access-logfile', '-',
  ];
  const service = supervisor.start('gunicorn', PYTHON, args, { cwd: DJANGO_SITE, env: siteEnv(settings), ownPidFile: pidFile });
  await waitForHttp(`http://${address}/`, service);
  assertOwnPid(service);
  return address;
}
