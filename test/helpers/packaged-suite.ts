import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';

export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A program from PATH or the sbin directories (pgbouncer, nginx and mariadbd live there, off many users' PATH). */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/bin', '/sbin'];
  return dirs.map((dir) => join(dir, name)).find(executable);
}

/** Debian packages whose program (name → package) this machine lacks. */
export function missingPrograms(programs: Record<string, string>): string[] {
  return Object.entries(programs).filter(([program]) => findProgram(program) === undefined).map(([, pkg]) => pkg);
}

/**
 * A suite that runs only where its Debian packages are installed. Elsewhere it is reported as skipped, naming
 * the packages, never passed; under CI (PACKAGES_REQUIRED=1 or E2E_REQUIRED=1, which .ci/run sets after
 * installing them) the skip is a failure instead.
 */
export function packagedSuite(name: string, missing: readonly string[], body: () => void, timeoutMs = 150_000): void {
  if (missing.length === 0) {
    describe(name, { timeout: timeoutMs }, body);
    return;
  }
  const reason = `missing Debian packages: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.PACKAGES_REQUIRED === '1' || process.env.E2E_REQUIRED === '1') {
    it(name, () => {
      throw new Error(`packages are required here but ${reason}`);
    });
    return;
  }
  it(name, { skip: `suite skipped: ${reason}` });
}
