import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.data/` at the repository root (gitignored): the demo database lives there between runs. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data/', import.meta.url));

/** What a demo data directory remembers besides the database itself (`demo.json`, readable by its owner only). */
export interface DemoState {
  /** The embedded server's superuser password, fixed when its directory was initialised. */
  password: string;
  /** The SECRET_KEY the demo signs with when DJANGO_SECRET_KEY is unset, so sessions survive restarts. */
  secretKey: string;
  /** The process that started the server and will stop it; another demo process only connects to it. */
  ownerPid?: number;
  /** Where the server's files are when the postgres user cannot enter this directory (see reachableDataDir). */
  serverDir?: string;
}

const FILE = 'demo.json';
const SECRET_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';

/** Like Django's startproject: get_random_secret_key(), prefixed so nobody mistakes it for a real one. */
function demoSecretKey(): string {
  return 'django-insecure-' + Array.from({ length: 50 }, () => SECRET_KEY_CHARS[randomInt(SECRET_KEY_CHARS.length)]).join('');
}

function readDemoState(dataDir: string): DemoState | null {
  const path = join(dataDir, FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as DemoState;
  } catch {
    throw new Error(`${path} is not valid JSON: delete ${dataDir} to start the demo afresh`);
  }
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** The PostgreSQL data directory inside a demo data directory. */
export function postgresDir(dataDir: string): string {
  return join(dataDir, 'postgres');
}

/** Reads dataDir's demo.json, or creates the directory and a fresh one (new password, new demo key). */
export async function loadDemoState(dataDir: string): Promise<DemoState> {
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as `postgres` and must be able to reach its directory inside this one.
  await chmod(dataDir, 0o755);
  const state = readDemoState(dataDir);
  if (state) return state;
  if (existsSync(join(postgresDir(dataDir), 'PG_VERSION'))) {
    throw new Error(`${postgresDir(dataDir)} exists but ${join(dataDir, FILE)} (its password) does not: delete ${dataDir} to start the demo afresh`);
  }
  const fresh = { password: randomBytes(18).toString('base64url'), secretKey: demoSecretKey() };
  writeDemoState(dataDir, fresh);
  return fresh;
}
