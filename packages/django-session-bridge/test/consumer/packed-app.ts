// Apps built the way a user builds one: the packed tarball installed into a fresh directory, never the source tree.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { encodeSession, insertSession, insertUser, loginSession } from '../../../../test/helpers/django.ts';
import { freePort } from '../../../../test/helpers/listen.ts';

const run = promisify(execFile);
const REPO = new URL('../../../../', import.meta.url).pathname;
const EXAMPLES = join(REPO, 'examples');

/** `npm pack -w django-session-bridge` into a temporary directory; returns the tarball's path. */
export async function packLibrary(): Promise<{ tarball: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-pack-'));
  // The build already ran at install; rebuilding here would pull dist from under suites running beside this one.
  const { stdout } = await run('npm', ['pack', '-w', 'django-session-bridge', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: REPO, timeout: 60_000 });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  return { tarball: join(dir, filename), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of examples/<name> with the tarball and the example's own dependencies installed, from npm's cache when it has them. */
export async function installExample(name: string, tarball: string): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), `bridge-example-${name}-`));
  cpSync(join(EXAMPLES, name), dir, { recursive: true, filter: (source) => !/[\\/](node_modules|\.next)$/.test(source) });
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, timeout: 300_000 });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Top-level package names in an app's node_modules, scoped ones as @scope/name. */
export function installedPackages(dir: string): string[] {
  const modules = join(dir, 'node_modules');
  return readdirSync(modules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(join(modules, name)).map((inner) => `${name}/${inner}`) : name.startsWith('.') ? [] : [name],
  );
}

export interface RunningApp {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a command in an app directory with PORT set, and waits until it answers HTTP. */
export async function startApp(dir: string, command: string[], env: Record<string, string>, readyMs = 60_000): Promise<RunningApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(command[0] as string, command.slice(1), {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      return { url, output: () => output, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${command.join(' ')} did not answer within ${readyMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The rows every consumer test reads: ada (first name Ada), a session she is logged in with, and an anonymous one. */
export async function seedSessions(databaseUrl: string, secretKey: string): Promise<{ loggedIn: string; anonymous: string }> {
  const django = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const password = 'pbkdf2_sha256$260000$salt$hash=';
    const id = await insertUser(django, { username: 'ada', password, firstName: 'Ada' });
    return {
      loggedIn: await insertSession(django, encodeSession(loginSession(id, password, secretKey), secretKey)),
      anonymous: await insertSession(django, encodeSession({ visits: 1 }, secretKey)),
    };
  } finally {
    await django.end();
  }
}

/** examples/<name> installed from the tarball with its server.js running, for `body`; both go away after it. */
export async function withExample(name: string, tarball: string, env: Record<string, string>, body: (dir: string, server: RunningApp) => Promise<void>): Promise<void> {
  const app = await installExample(name, tarball);
  try {
    const server = await startApp(app.dir, [process.execPath, 'server.js'], env);
    try {
      await body(app.dir, server);
    } finally {
      await server.stop();
    }
  } finally {
    app.remove();
  }
}
