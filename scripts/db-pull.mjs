#!/usr/bin/env node
// `npm run db:pull`: introspects Django's database into prisma/<provider>/schema.prisma (postgresql, mysql
// or sqlite, from DATABASE_URL), keeping only the tables this service reads. With the native schema engine
// installed (a machine that had internet at `npm install`) it is Prisma's own `prisma db pull --print`;
// without it, the same introspection runs in Prisma's Wasm schema engine over the database's driver adapter.
// Run with tsx (npm run db:pull does): it shares src/databases/url.ts with the service.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerOf } from 'django-session-bridge';
import { nativeSchemaEngine, prismaEnv, runPrisma } from './prisma.mjs';
import { keepDjangoModels } from './schema-filter.mjs';
import { readDjangoTypes } from './schema-types.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputAt = process.argv.indexOf('--output');

async function introspectWithWasm(schema, url) {
  const { introspectWithWasm: run } = await import('./wasm-introspect.mjs');
  return run(schema, url, root);
}

function introspectNative(schemaPath) {
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  const result = spawnSync(process.execPath, [cli, 'db', 'pull', '--print', '--schema', schemaPath], {
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
  const provider = providerOf(url);
  if (!provider) {
    console.error('db:pull: DATABASE_URL must be a postgresql://, mysql://, mariadb:// or file: URL.');
    process.exit(1);
  }
  const schemaPath = join(root, 'prisma', provider, 'schema.prisma');
  const outputPath = outputAt > 0 ? resolve(process.argv[outputAt + 1] ?? '') : schemaPath;
  const userTable = process.env.DJANGO_USER_TABLE || 'auth_user';
  const current = readFileSync(schemaPath, 'utf8');
  const offline = nativeSchemaEngine() === null;
  const introspected = offline ? await introspectWithWasm(current, url) : introspectNative(schemaPath);
  writeFileSync(outputPath, readDjangoTypes(keepDjangoModels(introspected, userTable)));
  if (runPrisma(['format', '--schema', outputPath], { stdio: 'ignore' }).status !== 0) throw new Error('prisma format failed');
  console.log(`db:pull: wrote ${outputPath} (${provider}; ${offline ? 'Wasm schema engine' : 'native schema engine'}; user table ${userTable})`);
}

main().catch((error) => {
  console.error(`db:pull: ${error.message}`);
  process.exit(1);
});
