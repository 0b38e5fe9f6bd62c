#!/usr/bin/env node
// Runs the Prisma CLI so that it works with and without internet.
// Prisma's install downloads a native schema engine; where that download failed (no internet), every CLI
// command refuses to start unless PRISMA_SCHEMA_ENGINE_BINARY names an executable. `generate`, `validate`
// and `studio` never run that engine, so a stub that explains itself is enough for them.
// `db pull` is handled by scripts/db-pull.mjs, which falls back to Prisma's Wasm schema engine.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function nativeSchemaEngine() {
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY) return process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  const dir = join(root, 'node_modules', '@prisma', 'engines');
  if (!existsSync(dir)) return null;
  const engine = readdirSync(dir).find((name) => name.startsWith('schema-engine-'));
  return engine ? join(dir, engine) : null;
}

function stubEngine() {
  const dir = join(root, 'node_modules', '.cache', 'prisma-offline');
  const path = join(dir, 'schema-engine');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path,
      '#!/bin/sh\necho "The native Prisma schema engine is not installed (no internet at npm install). Use npm run db:pull." >&2\nexit 1\n',
    );
    chmodSync(path, 0o755);
  }
  return path;
}

export function prismaEnv() {
  return {
    ...process.env,
    CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_SCHEMA_ENGINE_BINARY: nativeSchemaEngine() ?? stubEngine(),
  };
}

export function runPrisma(args, options = {}) {
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, env: prismaEnv(), stdio: 'inherit', ...options });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = runPrisma(process.argv.slice(2));
  process.exit(result.status ?? 1);
}
