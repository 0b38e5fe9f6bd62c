import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { entryPoints, manifest, PACKAGE_DIR } from './public-api.ts';

const FRAMEWORKS_AND_DRIVERS = ['pg', 'mariadb', 'better-sqlite3', '@redis/client', 'memjs', 'koa', 'express', 'fastify', 'hono', '@prisma/client'];

test('a publishable manifest: ESM with an exports map, no install scripts, no side effects, Node ≥ 20.19, built on prepack', () => {
  const pkg = manifest();
  assert.equal(pkg.name, 'django-session-bridge');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.sideEffects, false);
  assert.equal(pkg.engines.node, '>=20.19');
  for (const script of ['preinstall', 'install', 'postinstall']) assert.equal(pkg.scripts[script], undefined, `${script} must not exist`);
  assert.match(pkg.scripts.prepack ?? '', /npm run build/);
  assert.ok(pkg.files.includes('dist') && pkg.files.includes('README.md') && pkg.files.includes('LICENSE'));
  assert.ok(existsSync(`${PACKAGE_DIR}README.md`) && existsSync(`${PACKAGE_DIR}LICENSE`));
  for (const entry of ['.', './django', './koa', './express', './fastify', './hono']) assert.ok(pkg.exports[entry], `exports has no ${entry}`);
});

test('frameworks, drivers and Prisma are optional peers, never dependencies', () => {
  const pkg = manifest();
  for (const name of FRAMEWORKS_AND_DRIVERS) {
    assert.equal(pkg.dependencies?.[name], undefined, `${name} is a dependency`);
    assert.ok(pkg.peerDependencies[name], `${name} is not a peer dependency`);
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is not optional`);
  }
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}).filter((name) => name.includes('prisma')), []);
});

test('every entry point of the build loads with require() from CommonJS (no top-level await)', () => {
  const require = createRequire(`${PACKAGE_DIR}package.json`);
  for (const entry of entryPoints()) {
    assert.ok(existsSync(entry.built), `${entry.built} was not built`);
    assert.ok(existsSync(entry.built.replace(/\.js$/, '.d.ts')), `${entry.name} has no .d.ts`);
    const loaded = require(entry.built) as Record<string, unknown>;
    assert.ok(Object.keys(loaded).length > 0, `${entry.name} exports nothing`);
  }
});
