import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNginx } from './prerequisites.ts';
import { assertOwnPid, freePort, waitForHttp, type Supervisor } from './processes.ts';

export type Variant = 'prefixed' | 'stripped';

/** The files users copy: the tests run exactly these, with the addresses changed. */
export const SHIPPED_CONFIGS: Record<Variant, URL> = {
  prefixed: new URL('../../../deploy/nginx/elixir.conf', import.meta.url),
  stripped: new URL('../../../deploy/nginx/elixir-strip-prefix.conf', import.meta.url),
};

interface Addresses {
  listen: string;
  django: string;
  /** One instance of the service, or several behind the one upstream (round-robin). */
  elixir: string | readonly string[];
}

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1) throw new Error(`the shipped nginx config must have exactly one ${what}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/** The shipped site config with the listen address and the two upstream servers swapped for the test's. */
export function renderSite(shipped: string, addresses: Addresses): string {
  let site = replaceOnce(shipped, /^([ \t]*)listen[ \t]+80;$/m, `$1listen ${addresses.listen};`, '"listen 80;"');
  site = replaceOnce(site, /(upstream django_app\s*\{\s*server\s+)[^;\s]+;/, `$1${addresses.django};`, 'django_app upstream server');
  const instances = typeof addresses.elixir === 'string' ? [addresses.elixir] : addresses.elixir;
  site = replaceOnce(site, /(upstream elixir_app\s*\{(\s*)server\s+)[^;\s]+;/, `$1${instances.join(';$2server ')};`, 'elixir_app upstream server');
  return site;
}

/** A whole nginx.conf around the site, every path under prefix: nothing of the system's nginx is touched. */
function mainConfig(prefix: string, siteFile: string, logDir: string): string {
  const temp = (name: string) => `${name}_temp_path ${join(prefix, `${name}_temp`)};`;
  return [
    'worker_processes 1;',
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(logDir, 'error.log')} warn;`,
    'events { worker_connections 128; }',
    'http {',
    `  access_log ${join(logDir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
    `  include ${siteFile};`,
    '}',
    '',
  ].join('\n');
}

/**
 * Runs nginx in the foreground as the current user on a free loopback port, in front of the two upstreams;
 * returns its base URL.
 */
export async function startNginx(
  supervisor: Supervisor,
  name: string,
  variant: Variant,
  upstreams: { django: string; elixir: string | readonly string[] },
  readyPath = '/',
): Promise<string> {
  const nginx = findNginx();
  if (nginx === undefined) throw new Error('nginx is not installed');
  const port = await freePort();
  const prefix = join(supervisor.runDir, name);
  const logDir = join(supervisor.logDir, name);
  mkdirSync(prefix);
  mkdirSync(logDir, { recursive: true });
  // As root, nginx's workers run as nobody and must reach their temp directories.
  chmodSync(prefix, 0o755);
  const siteFile = join(prefix, 'site.conf');
  const confFile = join(prefix, 'nginx.conf');
  writeFileSync(siteFile, renderSite(readFileSync(SHIPPED_CONFIGS[variant], 'utf8'), { listen: `127.0.0.1:${port}`, ...upstreams }));
  writeFileSync(confFile, mainConfig(prefix, siteFile, logDir));
  const service = supervisor.start(name, nginx, ['-p', prefix, '-c', confFile, '-e', join(logDir, 'error.log'), '-g', 'daemon off;'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    ownPidFile: join(prefix, 'nginx.pid'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${readyPath}`, service);
  assertOwnPid(service);
  return url;
}
