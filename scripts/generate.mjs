#!/usr/bin/env node
// `npm run generate`: one Prisma client per database, each from its own schema (prisma/<provider>/), into
// src/generated/ (prisma/ for PostgreSQL, mysql/ and sqlite/). The service loads only the one DATABASE_URL names.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPrisma } from './prisma.mjs';

const prismaDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'prisma');
for (const provider of readdirSync(prismaDir).sort()) {
  const result = runPrisma(['generate', '--schema', join(prismaDir, provider, 'schema.prisma')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
