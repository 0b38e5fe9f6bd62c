// The configuration reference cannot drift: the variables the code reads, those `.env.example` lists and the
// rows of docs/configuration.md's table are compared here, by `npm run docs:config` and by
// test/docs/configuration.test.ts. Adding a variable takes the code, a line in `.env.example` and a row.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_NAMES } from 'django-session-bridge';

/** A variable's name as the code spells it: upper case, digits and underscores. */
const NAME = '[A-Z][A-Z0-9_]*';
/** How the service reads a variable: `env.NAME`, `env['NAME']`, or a reader called as `(env, 'NAME', …)`. */
const READS = [
  new RegExp(`\\benv\\.(${NAME})\\b`, 'g'),
  new RegExp(`\\benv\\[['"](${NAME})['"]\\]`, 'g'),
  new RegExp(`\\(env, '(${NAME})'`, 'g'),
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every variable named in one source text by the ways the service reads the environment. */
export function variablesRead(source: string): Set<string> {
  return new Set(READS.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] as string)));
}

/** The variables the code reads: the library's ENV_NAMES and whatever the library's and the service's sources read themselves. */
export function codeVariables(root: string): Set<string> {
  const names = new Set<string>(Object.values(ENV_NAMES));
  for (const dir of ['src', 'packages/django-session-bridge/src']) {
    for (const file of sourceFiles(join(root, dir))) for (const name of variablesRead(readFileSync(file, 'utf8'))) names.add(name);
  }
  return names;
}

/**
 * The variables `.env.example` lists, with their example values: `NAME=value` lines, and `# NAME=value`
 * for a variable that must not be set from `.env` (NODE_ENV) but is still listed.
 */
export function envExampleVariables(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^(?:#\\s?)?(${NAME})=(.*)$`).exec(line);
    if (match) found.set(match[1] as string, (match[2] as string).trim());
  }
  return found;
}

/** One row of the reference table. */
export interface ReferenceRow {
  line: number;
  name: string;
  defaultValue: string;
  djangoSetting: string;
  meaning: string;
}

/** The table's cells, split on the pipes between them (a pipe inside a code span or escaped stays). */
function cells(row: string): string[] {
  const found: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i += 1) {
    const char = row[i] as string;
    if (char === '`') inCode = !inCode;
    if (char === '|' && !inCode && row[i - 1] !== '\\') {
      found.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  found.push(cell.trim());
  return found.slice(1, -1);
}

/** The rows of the table whose first column is a single variable in backticks. */
export function referenceRows(markdown: string): ReferenceRow[] {
  return markdown.split('\n').flatMap((text, index) => {
    if (!new RegExp(`^\\| \`${NAME}\` \\|`).test(text)) return [];
    const [name = '', defaultValue = '', djangoSetting = '', meaning = ''] = cells(text);
    return [{ line: index + 1, name: name.slice(1, -1), defaultValue, djangoSetting, meaning }];
  });
}

/** The sources compared. */
export interface ConfigSources {
  code: ReadonlySet<string>;
  envExample: ReadonlyMap<string, string>;
  rows: readonly ReferenceRow[];
}

/** Every disagreement between the code, `.env.example` and the table, one line each; empty when they agree. */
export function disagreements({ code, envExample, rows }: ConfigSources): string[] {
  const problems: string[] = [];
  const documented = new Map<string, ReferenceRow>();
  for (const row of rows) {
    if (documented.has(row.name)) problems.push(`${row.name}: two rows in docs/configuration.md (lines ${documented.get(row.name)?.line} and ${row.line})`);
    documented.set(row.name, row);
    if ([row.defaultValue, row.djangoSetting, row.meaning].some((cell) => cell === '')) problems.push(`${row.name}: an empty cell in docs/configuration.md (line ${row.line})`);
  }
  for (const name of [...code].sort()) {
    if (!documented.has(name)) problems.push(`${name}: read by the code, missing from docs/configuration.md`);
    if (!envExample.has(name)) problems.push(`${name}: read by the code, missing from .env.example`);
  }
  for (const name of [...documented.keys()].sort()) if (!code.has(name)) problems.push(`${name}: in docs/configuration.md, read nowhere in the code`);
  for (const name of [...envExample.keys()].sort()) if (!code.has(name)) problems.push(`${name}: in .env.example, read nowhere in the code`);
  for (const row of rows) {
    const stated = /^`([^`]*)`/.exec(row.defaultValue)?.[1];
    const example = envExample.get(row.name);
    if (stated !== undefined && example !== undefined && example !== '' && example !== stated) {
      problems.push(`${row.name}: docs/configuration.md says the default is "${stated}", .env.example sets "${example}"`);
    }
  }
  return problems;
}

/** The three sources as they are in the repository at `root`. */
export function readConfigSources(root: string): ConfigSources {
  return {
    code: codeVariables(root),
    envExample: envExampleVariables(readFileSync(join(root, '.env.example'), 'utf8')),
    rows: referenceRows(readFileSync(join(root, 'docs', 'configuration.md'), 'utf8')),
  };
}
