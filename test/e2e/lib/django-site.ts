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

/** `manage.py <args>` of the reference site, with more environment for the command; its standard output. */
export async function manage(settings: DjangoSiteSettings, args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(PYTHON, ['manage.py', ...args], {
    cwd: DJANGO_SITE,
    env: { ...siteEnv(settings), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`manage.py ${args[0]} failed (${code}):\n${stdout}${stderr}`);
  return stdout;
}

/** Django's own `manage.py migrate`: the tables of an empty database, as the installed Django makes them. */
export async function migrate(settings: DjangoSiteSettings): Promise<void> {
  await manage(settings, ['migrate', '--noinput']);
}

/**
 * Django's admin on a database made from a schema fixture (DJANGO_ADMIN=on in `settings.env`): the fixture holds
 * the tables but no django_migrations rows, so its apps' migrations are recorded as applied without running
 * (`migrate auth --fake`, which takes contenttypes along), then the admin's run for real.
 */
export async function migrateAdminOnFixture(settings: DjangoSiteSettings): Promise<void> {
  await manage(settings, ['migrate', 'auth', '--fake', '--noinput']);
  await manage(settings, ['migrate', 'admin', '--noinput']);
}

/**
 * Creates users through Django's own create_user, and create_superuser for `staff` (real password hashes):
 * `manage.py create_e2e_users`.
 */
export async function createUsers(
  settings: DjangoSiteSettings,
  users: { active: string[]; inactive: string[]; staff?: string[]; password: string },
): Promise<void> {
  const staff = users.staff?.length ? ['--staff', ...users.staff] : [];
  await manage(settings, ['create_e2e_users', '--active', ...users.active, '--inactive', ...users.inactive, ...staff], { E2E_USER_PASSWORD: users.password });
}

/** Logs users in as Django's login view does (`manage.py login_e2e_users`): each one's session key. */
export async function logInUsers(settings: DjangoSiteSettings, usernames: string[], password: string): Promise<Record<string, string>> {
  return JSON.parse(await manage(settings, ['login_e2e_users', ...usernames], { E2E_USER_PASSWORD: password })) as Record<string, string>;
}

/** Django's own request.user for each session key (`manage.py session_users`): authenticated, and the user's id. */
export async function djangoSessionUsers(settings: DjangoSiteSettings, keys: string[]): Promise<Record<string, { authenticated: boolean; id: string | null }>> {
  return JSON.parse(await manage(settings, ['session_users', ...keys])) as Record<string, { authenticated: boolean; id: string | null }>;
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

/** A cookie's value from a response's Set-Cookie headers, or undefined when it sets none by that name. */
export function setCookie(response: Response, name: string): string | undefined {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  return cookie?.split(';')[0]?.slice(name.length + 1);
}

/**
 * One of the reference site's forms posted as a browser would (the CSRF cookie and token from a GET first,
 * Origin and Referer set), with the visitor's session cookie if any; the response, redirects not followed.
 */
export async function postDjangoForm(site: string, path: string, fields: Record<string, string>, sessionid?: string): Promise<Response> {
  const session = sessionid ? `sessionid=${sessionid}` : '';
  const form = await fetch(`${site}${path}`, { headers: { Cookie: session } });
  const csrf = setCookie(form, 'csrftoken') ?? '';
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  return fetch(`${site}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: [`csrftoken=${csrf}`, session].filter(Boolean).join('; '),
      Origin: site,
      Referer: `${site}${path}`,
    },
    body: new URLSearchParams({ csrfmiddlewaretoken: token, ...fields }),
  });
}

/** Django's log-in form: the sessionid Django's login() set. */
export async function logInThroughDjango(site: string, username: string, password: string): Promise<string> {
  const response = await postDjangoForm(site, '/accounts/login/', { username, password });
  const sessionid = setCookie(response, 'sessionid');
  if (response.status !== 302 || !sessionid) throw new Error(`Django's log-in for ${username} answered ${response.status}`);
  return sessionid;
}
