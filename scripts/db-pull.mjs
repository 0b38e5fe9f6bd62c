#!/usr/bin/env node
// `npm run db:pull`: introspects Django's database into prisma/schema.prisma, keeping only the two tables
// this service reads (django_session and the user table). With the native schema engine installed (a machine
// that had internet at `npm install`) it is Prisma's own `prisma db pull --print`; without it, the same
// introspection runs in Prisma's Wasm schema engine over @prisma/adapter-pg.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeSchemaEngine, prismaEnv, runPrisma } from './prisma.mjs';
import { keepDjangoModels } from './schema-filter.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = join(root, 'prisma', 'schema.prisma');
const outputAt = process.argv.indexOf('--output');
const outputPath = outputAt > 0 ? resolve(process.argv[outputAt + 1] ?? '') : schemaPath;

async function introspectWithWasm(schema, url) {
  const { introspectWithWasm: run } = await import('./wasm-introspect.mjs');
  return run(schema, url, root);
}

function introspectNative() {
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  const result = spawnSync(process.execPath, [cli, 'db', 'pull', '--print'], {
    cwd: root,
    env: prismaEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error('prisma db pull failed');
  return result.stdout;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('db:pull: DATABASE_URL is not set (point it at the database Django migrated).');
    process.exit(1);
  }
  const userTable = process.env.DJANGO_USER_TABLE || 'auth_user';
  const current = readFileSync(schemaPath, 'utf8');
  const offline = nativeSchemaEngine() === null;
  const introspected = offline ? await introspectWithWasm(current, url) : introspectNative();
  writeFileSync(outputPath, keepDjangoModels(introspected, userTable));
  if (runPrisma(['format', '--schema', outputPath], { stdio: 'ignore' }).status !== 0) throw new Error('prisma format failed');
  console.log(`db:pull: wrote ${outputPath} (${offline ? 'Wasm schema engine' : 'native schema engine'}; user table ${userTable})`);
}

main().catch((error) => {
  console.error(`db:pull: ${error.message}`);
  process.exit(1);
});
