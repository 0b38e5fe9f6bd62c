import { isAbsolute, relative } from 'node:path';
import type { DemoAccount } from './demo-accounts.ts';

/** .data rather than /home/someone/project/.data when it is below the current directory. */
export function shortPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below && !below.startsWith('..') && !isAbsolute(below) ? below : path;
}

/** Draws a double-line box around the lines, padded to the longest. */
export function boxed(lines: readonly string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '═'.repeat(width + 4);
  return [`╔${rule}╗`, ...lines.map((line) => `║  ${line.padEnd(width)}  ║`), `╚${rule}╝`].join('\n');
}

export interface DemoBannerOptions {
  /** The page, e.g. http://127.0.0.1:3000/elixir/ */
  pageUrl: string;
  accounts: readonly DemoAccount[];
  dataDir: string;
  /** The server's files, when they are not inside dataDir (as root, in a directory only root can enter). */
  serverDir?: string | undefined;
  /** True when DJANGO_SECRET_KEY is unset and the demo signs with its own key. */
  demoSecretKey: boolean;
  /** False when another demo process runs the database (e.g. `npm run studio` started it). */
  startedHere: boolean;
}

/** What `npm run dev` prints when it runs on the demo database: what this is, where to go, how to log in. */
export function demoBanner({ pageUrl, accounts, dataDir, serverDir, demoSecretKey, startedHere }: DemoBannerOptions): string {
  const width = Math.max(...accounts.map((account) => account.username.length));
  const logins = accounts.map((account, index) => {
    const name = account.username.padEnd(width);
    return `${index === 0 ? 'Log in as  ' : '           '}${name}${account.isActive ? '' : '   (inactive: stays "Not Logged In")'}`;
  });
  return boxed([
    'DEMO DATABASE: this is not your Django database.',
    '',
    'DATABASE_URL is not set, so the service runs on an embedded PostgreSQL holding',
    'Django\'s real django_session and auth_user tables and a few demo users.',
    `Data: ${dataDir} (delete it to start over)${startedHere ? '' : ', server run by another demo process'}`,
    ...(serverDir === undefined ? [] : [`Server     files in ${serverDir}, where the postgres user can reach them`]),
    '',
    `Open       ${pageUrl}`,
    `Log in     ${pageUrl}demo/   (each button posts to accounts/login/)`,
    ...logins,
    `Log out    the page's button (POST ${pageUrl}accounts/logout/)`,
    'Passwords  "demo" for every demo user (real pbkdf2_sha256 hashes)',
    `Secret key ${demoSecretKey ? 'DJANGO_SECRET_KEY is unset: a demo key kept in demo.json' : 'DJANGO_SECRET_KEY from the environment'}`,
    'Inspect    npm run studio   (Prisma Studio on this database)',
    '',
    'Set DATABASE_URL to Django\'s database to leave the demo.',
  ]);
}
