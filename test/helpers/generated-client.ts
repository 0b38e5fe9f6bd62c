import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/**
 * What `npm run db:pull && npm run generate` would leave for this database, written to a scratch directory
 * inside node_modules (so the client finds @prisma/client) instead of over the project's own client.
 */
export async function generateClientFor(url: string, userTable: string, dir: string): Promise<{ schema: string; PrismaClient: new (options: { adapter: PrismaPg }) => PrismaClient }> {
  const { introspectWithWasm, keepDjangoModels } = await loadDbPull();
  const introspected = await introspectWithWasm(readFileSync(`${ROOT}prisma/schema.prisma`, 'utf8'), url, ROOT);
  const schema = keepDjangoModels(introspected, userTable).replace(/output\s*=\s*"[^"]*"/, 'output = "./client"');
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/schema.prisma`, schema);
  const generated = spawnSync(process.execPath, ['scripts/prisma.mjs', 'generate', '--schema', `${dir}/schema.prisma`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(generated.status, 0, generated.stderr);
  const client = (await import(pathToFileURL(`${dir}/client/client.ts`).href)) as typeof import('../../src/generated/prisma/client.ts');
  return { schema, PrismaClient: client.PrismaClient as unknown as new (options: { adapter: PrismaPg }) => PrismaClient };
}

/** A fresh directory for generateClientFor, inside node_modules (so the client finds @prisma/client). */
export function scratchClientDir(): string {
  return `${ROOT}node_modules/.cache/bridge-test-clients/${randomBytes(6).toString('hex')}`;
}
