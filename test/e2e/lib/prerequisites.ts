import { spawnSync } from 'node:child_process';
import { executable, findProgram, packagedSuite } from '../../helpers/packaged-suite.ts';

/**
 * Debian's interpreter: python3-django, python3-psycopg2 and gunicorn install into it. E2E_DJANGO_PYTHON runs
 * the site with another Django instead: a venv made with --system-site-packages (gunicorn and psycopg2 from
 * Debian) and Django 5.2 from pip, as .ci/run does.
 */
export const PYTHON = process.env.E2E_DJANGO_PYTHON || '/usr/bin/python3';
export const CHROMIUM = '/usr/bin/chromium';

export type Need = 'nginx' | 'django' | 'chromium';

const SUITE_TIMEOUT_MS = 150_000;

const PYTHON_MODULES: [module: string, debianPackage: string][] = [
  ['django', 'python3-django'],
  ['psycopg2', 'python3-psycopg2'],
  ['gunicorn', 'gunicorn'],
];

/** nginx is in /usr/sbin, which is not on every user's PATH. */
export function findNginx(): string | undefined {
  return findProgram('nginx');
}

/** The Debian packages of the given Python modules that PYTHON cannot import. */
export function missingPythonPackages(modules: readonly [module: string, debianPackage: string][] = PYTHON_MODULES): string[] {
  const script = `import importlib.util as u; print(" ".join(m for m in ${JSON.stringify(modules.map(([module]) => module))} if u.find_spec(m) is None))`;
  const probe = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (probe.status !== 0) return modules.map(([, debianPackage]) => debianPackage);
  const missing = new Set(probe.stdout.trim().split(/\s+/));
  return modules.filter(([module]) => missing.has(module)).map(([, debianPackage]) => debianPackage);
}

/** The Debian packages the given parts of the suite need and this machine lacks. */
export function missingPackages(needs: readonly Need[]): string[] {
  const missing: string[] = [];
  if (needs.includes('django')) missing.push(...missingPythonPackages());
  if (needs.includes('nginx') && findNginx() === undefined) missing.push('nginx');
  if (needs.includes('chromium') && !executable(CHROMIUM)) missing.push('chromium');
  return missing;
}

/** A suite that runs only where its Debian packages are installed (see packagedSuite). */
export function e2eSuite(name: string, needs: readonly Need[], body: () => void): void {
  packagedSuite(name, missingPackages(needs), body, SUITE_TIMEOUT_MS);
}
