// What every floor shares: node:http, the cookie read with one regular expression, `_auth_user_id` read from
// the session data without any check, and a minimal page. Only the two lookups differ, one driver per database.
import { createServer } from 'node:http';
import { inflateSync } from 'node:zlib';

export interface FloorLookups {
  /** The django_session row: its data, and expire_date as milliseconds since the epoch. */
  session(key: string): Promise<{ data: string; expiresAt: number } | undefined>;
  username(id: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const COOKIE = /(?:^|;\s*)sessionid=([a-z0-9]{8,40})(?:;|$)/;

// FLOOR_BUSY_US (bench/lookup-cost.ts only; 0 everywhere else): that many microseconds of plain JavaScript
// before each lookup and before the page, no I/O and no allocation, to see what the lookups cost when the
// process does as much other work per page as the service.
const BUSY_US = Number(process.env.FLOOR_BUSY_US ?? 0);
let busySink = 0;

function busy(): void {
  if (BUSY_US === 0) return;
  const until = performance.now() + BUSY_US / 1000;
  while (performance.now() < until) for (let i = 0; i < 100; i += 1) busySink = (busySink * 31 + i) % 1_000_003;
}

/** `_auth_user_id` from Django's signed session data, read without checking the signature. */
function userId(sessionData: string): string | undefined {
  const payload = sessionData.slice(0, sessionData.indexOf(':'));
  const compressed = payload.startsWith('.');
  const bytes = Buffer.from(compressed ? payload.slice(1) : payload, 'base64url');
  const session = JSON.parse((compressed ? inflateSync(bytes) : bytes).toString('utf8')) as Record<string, unknown>;
  const id = session._auth_user_id;
  return typeof id === 'string' ? id : undefined;
}

async function username(lookups: FloorLookups, cookieHeader: string | undefined): Promise<string | undefined> {
  const key = cookieHeader && COOKIE.exec(cookieHeader)?.[1];
  if (!key) return undefined;
  busy();
  const row = await lookups.session(key);
  if (!row || row.expiresAt <= Date.now()) return undefined;
  const id = userId(row.data);
  busy();
  return id === undefined ? undefined : lookups.username(id);
}

/** Serves the floor's page on PORT until SIGTERM. */
export function serveFloor(lookups: FloorLookups): void {
  const server = createServer((req, res) => {
    username(lookups, req.headers.cookie).then(
      (name) => {
        busy();
        const body = name === undefined ? '<!doctype html><h1>Not Logged In</h1>\n' : `<!doctype html><h1>Logged In!</h1><p>${name}</p>\n`;
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      },
      () => {
        res.writeHead(503).end();
      },
    );
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
    void lookups.close();
  });
}

/** Django's naive UTC DATETIME text ("2026-12-16 01:02:03.456789", as MySQL and SQLite hold it) in milliseconds. */
export function naiveUtcMs(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}
