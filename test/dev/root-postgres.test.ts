import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reachableDataDir } from '../../src/dev/root-postgres.ts';
import { cleanEnv, groupGone, ROOT, spawnGroup, type Spawned } from '../helpers/spawned.ts';

const RUN_MS = 120_000;

/**
 * The working tree's files and node_modules, in a fresh directory only its owner can enter: what `git clone`
 * into /root/app or a `mktemp -d` and `npm install` leave, the generated Prisma client included. node_modules is hard-linked (the copy lives inside
 * it, on the same filesystem, so that works anywhere) rather than copied.
 */
async function checkoutIn0700(): Promise<string> {
  const cache = join(ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const parent = await mkdtemp(join(cache, 'bridge-0700-'));
  const checkout = join(parent, 'app');
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    await stat(join(ROOT, file)).then(
      () => cp(join(ROOT, file), join(checkout, file)),
      () => undefined,
    );
  }
  // What `npm install` generates: the Prisma client, and the library's build (the root's postinstall).
  await cp(join(ROOT, 'src', 'generated'), join(checkout, 'src', 'generated'), { recursive: true });
  const library = join('packages', 'django-session-bridge', 'dist');
  await cp(join(ROOT, library), join(checkout, library), { recursive: true });
  await mkdir(join(checkout, 'node_modules'));
  const modules = (await readdir(join(ROOT, 'node_modules'))).filter((name) => name !== '.cache').map((name) => join(ROOT, 'node_modules', name));
  const linked = spawnSync('cp', ['-al', ...modules, join(checkout, 'node_modules')]);
  assert.equal(linked.status, 0, linked.stderr?.toString());
  return checkout;
}

// A machine where no PostgreSQL package ever made the postgres user: the command runs in a mount namespace of
// its own whose /etc is a copy without that user and group. The machine's own /etc is never touched.
const WITHOUT_POSTGRES_USER = `set -e
etc=$(mktemp -d)
cp -a /etc/. "$etc"
mount --bind "$etc" /etc
for file in passwd group shadow gshadow; do [ -f "/etc/$file" ] && sed -i '/^postgres:/d' "/etc/$file"; done
echo "postgres user before: $(id -u postgres 2>/dev/null || echo none)"
status=0
"$@" || status=$?
echo "postgres user after: $(id -u postgres 2>/dev/null || echo none)"
umount /etc
rm -rf "$etc"
exit $status`;

function withoutPostgresUser(args: string[], env: Record<string, string>, cwd: string): Spawned {
  return spawnGroup('unshare', ['--mount', 'sh', '-c', WITHOUT_POSTGRES_USER, 'sh', ...args], env, cwd);
}

async function finished(run: Spawned): Promise<number | null> {
  const exit = await Promise.race([run.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running:\n${run.output()}`)), RUN_MS))]);
  return exit.code;
}

/** The test runner's own environment, for a nested run of it. */
function runnerEnv(): Record<string, string> {
  const env = cleanEnv({});
  delete env.TEST_DATABASE_URL;
  delete env.TEST_TEMPLATE_DATABASE;
  // Set by the runner running this file: a nested runner would refuse to run files.
  delete env.NODE_TEST_CONTEXT;
  return env;
}

const RUNNER = ['--import', 'tsx', 'scripts/test.ts', 'test/diagnostics/read-only-database.test.ts'];

describe('a checkout in a directory only its owner can enter (as root: not the postgres user)', () => {
  let checkout: string;
  before(async () => {
    checkout = await checkoutIn0700();
    assert.equal((await stat(dirname(checkout))).mode & 0o777, 0o700);
  });
  after(async () => {
    // As root the demo's server files live outside the checkout, where the postgres user can reach them.
    const data = await reachableDataDir(join(checkout, '.data', 'postgres'));
    if (!data.startsWith(checkout)) await rm(dirname(data), { recursive: true, force: true });
    await rm(dirname(checkout), { recursive: true, force: true });
  });

  it('the test runner starts its embedded PostgreSQL and runs a test file on it', async () => {
    const run = spawnGroup(process.execPath, RUNNER, runnerEnv(), checkout);
    try {
      assert.equal(await finished(run), 0, run.output());
      assert.match(run.output(), /started a throwaway PostgreSQL/);
      assert.match(run.output(), /^# pass 1$/m);
      assert.ok(await groupGone(run, 20_000), 'the embedded PostgreSQL stopped');
    } finally {
      run.kill('SIGKILL', 'group');
    }
  });

  const asRoot = { skip: process.getuid?.() === 0 ? false : 'only root creates users, and only as root does PostgreSQL need one' };

  it('on a machine with no postgres user yet, the test runner creates it and starts its PostgreSQL', asRoot, async () => {
    const run = withoutPostgresUser([process.execPath, ...RUNNER], runnerEnv(), checkout);
    try {
      assert.equal(await finished(run), 0, run.output());
      assert.match(run.output(), /^postgres user before: none$/m);
      assert.match(run.output(), /^postgres user after: \d+$/m);
      assert.match(run.output(), /started a throwaway PostgreSQL/);
      assert.match(run.output(), /^# pass 1$/m);
    } finally {
      run.kill('SIGKILL', 'group');
    }
  });

  it('when the postgres user cannot be created, the runner says so in one line with the fix', asRoot, async () => {
    // No useradd or groupadd to be found: what a minimal image without the shadow tools gives.
    const run = withoutPostgresUser(['/usr/bin/env', 'PATH=/nonexistent', process.execPath, ...RUNNER], runnerEnv(), checkout);
    try {
      assert.equal(await finished(run), 1, run.output());
      const said = run.output().split('\n').filter((line) => line !== '' && !line.startsWith('postgres user '));
      assert.deepEqual(said, [
        'npm test: could not start a throwaway PostgreSQL: as root, PostgreSQL must run as a "postgres" user and groupadd could not create it (spawnSync groupadd ENOENT): create it (useradd -r postgres) or run as another user',
      ]);
      assert.match(run.output(), /^postgres user after: none$/m);
    } finally {
      run.kill('SIGKILL', 'group');
    }
  });

  async function demoServes(): Promise<string> {
    const dev = spawnGroup('npm', ['run', 'dev'], cleanEnv({ PORT: '0', LOG_LEVEL: 'warn' }), checkout);
    try {
      const [, pageUrl] = await dev.waitFor(/Open\s+(http:\/\/127\.0\.0\.1:\d+\/elixir\/)\s/, RUN_MS);
      const home = await fetch(pageUrl as string);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Not Logged In/);
      dev.kill('SIGINT', 'group');
      await dev.exited;
      assert.ok(await groupGone(dev, 20_000), `processes left behind:\n${dev.output()}`);
      return dev.output();
    } finally {
      dev.kill('SIGKILL', 'group');
    }
  }

  it('`npm run dev` without DATABASE_URL serves the demo, and Ctrl-C stops everything', async () => {
    const banner = await demoServes();
    if (process.getuid?.() === 0) assert.match(banner, /Server {5}files in \/\S+, where the postgres user can reach them/);
  });

  it('deleting .data starts the demo over, as the banner says, wherever the server\'s files were', async () => {
    await rm(join(checkout, '.data'), { recursive: true, force: true });
    await demoServes();
  });
});
