// `npm run studio`: Prisma Studio on DATABASE_URL (from the environment or .env), or, when it is unset, on
// the demo database in .data/: joined when `npm run dev` runs it, started (and stopped afterwards) otherwise.
// Extra arguments go to `prisma studio`, e.g. `npm run studio -- --port 5556`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDotEnv } from '../config.ts';
import { providerOf, sqlitePath } from 'django-session-bridge';
import { studioUrl } from './studio-url.ts';

const PRISMA = fileURLToPath(new URL('../../scripts/prisma.mjs', import.meta.url));

loadDotEnv();

let url = process.env.DATABASE_URL;
let closeDemo = async () => {};
if (!url) {
  const { boxed, shortPath } = await import('./banner.ts');
  const { openDemoDatabase } = await import('./demo-database.ts');
  const { DEFAULT_DATA_DIR, loadDemoState } = await import('./demo-state.ts');
  const { pbkdf2Iterations } = await import('./make-password.ts');
  const dataDir = resolve(process.env.DEMO_DATA_DIR || DEFAULT_DATA_DIR);
  const demo = await loadDemoState(dataDir)
    .then((state) => openDemoDatabase({ dataDir, state, passwordIterations: pbkdf2Iterations(process.env.DJANGO_VERSION) }))
    .catch((error: Error) => {
      console.error(`The demo database did not start: ${error.message}`);
      process.exit(1);
    });
  url = demo.url;
  closeDemo = () => demo.close();
  console.log(boxed([
    'DEMO DATABASE: Prisma Studio on the embedded demo database, not on your Django database.',
    `Data: ${shortPath(dataDir)} (${demo.startedHere ? 'started here, stopped when Studio stops' : 'run by `npm run dev`'})`,
    'Set DATABASE_URL to inspect Django\'s database instead.',
  ]));
}

// Studio would create an empty file where Django's is missing, and show that instead.
const sqliteFile = providerOf(url) === 'sqlite' ? resolve(sqlitePath(url)) : undefined;
if (sqliteFile !== undefined && !existsSync(sqliteFile)) {
  console.error(`No SQLite database at ${sqliteFile}: DATABASE_URL must name the file Django uses.`);
  process.exit(1);
}

// Its own process group: prisma.mjs runs the CLI with spawnSync, and a signal must reach both.
const child = spawn(process.execPath, [PRISMA, 'studio', '--browser', 'none', ...process.argv.slice(2)], {
  env: { ...process.env, DATABASE_URL: studioUrl(url, process.cwd()) },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const forward = (signal: NodeJS.Signals) => {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // The group is already gone.
  }
};
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise<number>((done) => {
  child.on('exit', (status, signal) => done(status ?? 128 + (signal ? constants.signals[signal] : 0)));
});
await closeDemo();
process.exit(code);
