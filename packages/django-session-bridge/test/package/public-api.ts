// The package's public surface as its manifest declares it: one source entry point per `exports` key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface Manifest {
  name: string;
  type: string;
  sideEffects: boolean;
  engines: { node: string };
  exports: Record<string, string | { types: string; default: string }>;
  scripts: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

export function manifest(): Manifest {
  return JSON.parse(readFileSync(`${PACKAGE_DIR}package.json`, 'utf8')) as Manifest;
}

/** Each code entry point ('.', './koa', …) with its built file and its TypeScript source. */
export function entryPoints(): { name: string; built: string; source: string }[] {
  return Object.entries(manifest().exports)
    .filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object')
    .map(([name, target]) => ({
      name,
      built: `${PACKAGE_DIR}${target.default.slice(2)}`,
      source: `${PACKAGE_DIR}${target.default.slice(2).replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')}`,
    }));
}
