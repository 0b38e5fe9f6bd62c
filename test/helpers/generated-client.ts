import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { PrismaMariaDb } from '@prisma/adapter-mariadb';
import type { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The pieces of `npm run db:pull` (plain .mjs scripts) this test drives. */
interface DbPull {
  introspectWithWasm(schema: string, url: string, root: string): Promise<string>;
  keepDjangoModels(schema: string, userTable: string): string;
}

async function loadDbPull(): Promise<DbPull> {
  const script = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);
  const [{ introspectWithWasm }, { keepDjangoModels }] = await Promise.all([script('wasm-introspect.mjs'), script('schema-filter.mjs')]);
  return { introspectWithWasm, keepDjangoModels } as DbPull;
}

/** A client generated from a schema of the test's own, typed as the project's (the same models). */
export interface GeneratedClient<Adapter = PrismaPg> {
  schema: string;
  PrismaClient: new (options: { adapter: Adapter }) => PrismaClient;
}

/**
 * What `npm run db:pull && npm run generate` would leave for this database, written to a scratch directory
 * inside node_modules (so the client finds @prisma/client) instead of over the project's own client.
 */
export async function generateClientFor(url: string, userTable: string, dir: string): Promise<GeneratedClient> {
  const { introspectWithWasm, keepDjangoModels } = await loadDbPull();
  const introspected = await introspectWithWasm(readFileSync(`${ROOT}prisma/postgresql/schema.prisma`, 'utf8'), url, ROOT);
  return generateClient(keepDjangoModels(introspected, userTable), dir);
}

/** `npm run generate` for a schema, into dir (see generateClientFor). */
export async function generateClient<Adapter = PrismaPg | PrismaMariaDb | PrismaBetterSqlite3>(schema: string, dir: string): Promise<GeneratedClient<Adapter>> {
  const own = schema.replace(/output\s*=\s*"[^"]*"/, 'output = "./client"');
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/schema.prisma`, own);
  const generated = spawnSync(process.execPath, ['scripts/prisma.mjs', 'generate', '--schema', `${dir}/schema.prisma`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(generated.status, 0, generated.stderr);
  const client = (await import(pathToFileURL(`${dir}/client/client.ts`).href)) as typeof import('../../src/generated/prisma/client.ts');
  return { schema: own, PrismaClient: client.PrismaClient as unknown as new (options: { adapter: Adapter }) => PrismaClient };
}

/** `npm run db:pull` itself (scripts/db-pull.mjs) on DATABASE_URL with DJANGO_USER_TABLE: the schema it writes. */
export function pulledSchema(url: string, userTable: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const output = `${dir}/pulled.prisma`;
  const pulled = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/db-pull.mjs', '--output', output], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, DJANGO_USER_TABLE: userTable },
    encoding: 'utf8',
  });
  assert.equal(pulled.status, 0, pulled.stderr);
  return readFileSync(output, 'utf8');
}

/** A fresh directory for generateClientFor, inside node_modules (so the client finds @prisma/client). */
export function scratchClientDir(): string {
  return `${ROOT}node_modules/.cache/bridge-test-clients/${randomBytes(6).toString('hex')}`;
}

/**
 * README "A custom user model" on MySQL where `db:pull` cannot run (Prisma's Wasm engine has no MySQL
 * connector): the committed prisma/mysql/schema.prisma with its three user models mapped onto the custom
 * model's tables, and, for a BigAutoField key, that key and the join tables' user_id as BigInt.
 */
export function mysqlCustomUserSchema(userTable: string, key: 'Int' | 'BigInt'): string {
  const models: Record<string, { table: string; column: string }> = {
    auth_user: { table: userTable, column: 'id' },
    auth_user_groups: { table: `${userTable}_groups`, column: 'user_id' },
    auth_user_user_permissions: { table: `${userTable}_user_permissions`, column: 'user_id' },
  };
  return readFileSync(`${ROOT}prisma/mysql/schema.prisma`, 'utf8').replace(/^model (\w+) \{[\s\S]*?\n\}/gm, (model, name: string) => {
    const mapped = models[name];
    if (!mapped) return model;
    return model.replace(new RegExp(`^(  ${mapped.column}\\s+)Int\\b`, 'm'), `$1${key}`).replace(/\n\}$/, `\n\n  @@map("${mapped.table}")\n}`);
  });
}
