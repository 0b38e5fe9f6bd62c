import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';

/** Debian's interpreter: python3-django, python3-psycopg2 and gunicorn install into it, not into a pyenv or venv. */
export const PYTHON = '/usr/bin/python3';
export const CHROMIUM = '/usr/bin/chromium';

export type Need = 'nginx' | 'django' | 'chromium';

const SUITE_TIMEOUT_MS = 150_000;

const PYTHON_MODULES: [module: string, debianPackage: string][] = [
  ['django', 'python3-django'],
  ['psycopg2', 'python3-psycopg2'],
  ['gunicorn', 'gunicorn'],
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** nginx is in /usr/sbin, which is not on every user's PATH. */
export function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin'];
  return dirs.map((dir) => join(dir, 'nginx')).find(executable);
}

function missingPythonPackages(): string[] {
  const script = `import importlib.util as u; print(" ".join(m for m in ${JSON.stringify(PYTHON_MODULES.map(([module]) => module))} if u.find_spec(m) is None))`;
  const probe = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (probe.status !== 0) return PYTHON_MODULES.map(([, debianPackage]) => debianPackage);
  const missing = new Set(probe.stdout.trim().split(/\s+/));
  return PYTHON_MODULES.filter(([module]) => missing.has(module)).map(([, debianPackage]) => debianPackage);
}

/** The Debian packages the given parts of the suite need and this machine lacks. */
export function missingPackages(needs: readonly Need[]): string[] {
  const missing: string[] = [];
  if (needs.includes('django')) missing.push(...missingPythonPackages());
  if (needs.includes('nginx') && findNginx() === undefined) missing.push('nginx');
  if (needs.includes('chromium') && !executable(CHROMIUM)) missing.push('chromium');
  return missing;
}

/**
 * A suite that runs only where its Debian packages are installed. Elsewhere it is reported as skipped, with
 * the reason, never passed; E2E_REQUIRED=1 (for CI, which installs them) turns the skip into a failure.
 */
export function e2eSuite(name: string, needs: readonly Need[], body: () => void): void {
  const missing = missingPackages(needs);
  if (missing.length === 0) {
    // A hung browser or service fails the run instead of stalling CI.
    describe(name, { timeout: SUITE_TIMEOUT_MS }, body);
    return;
  }
  const reason = `missing Debian packages: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.E2E_REQUIRED === '1') {
    it(name, () => {
      throw new Error(`E2E_REQUIRED=1 but ${reason}`);
    });
    return;
  }
  it(name, { skip: `end-to-end suite skipped: ${reason}` });
}
