// npm run session:inspect -- <session_key>: why is this visitor (not) logged in? Exit 0 when logged in,
// 1 when not, 2 when it could not say (usage, configuration, database).
import { parseArgs } from 'node:util';
import { parseCookieHeader } from 'django-session-bridge/django';
import { explain } from '../src/diagnostics/explain.ts';
import { clockSkewNote, formatExplanation } from '../src/diagnostics/format.ts';
import { openReadOnlyDatabase } from '../src/diagnostics/read-only-database.ts';
import { formatReplicaView, viewOnReplica } from '../src/diagnostics/replica-view.ts';
import { isUsageError, loadToolConfig, ToolError, type ToolOutput } from '../src/diagnostics/tool-config.ts';
import type { DjangoDatabase } from '../src/databases/open.ts';
import { openSessionCache, storeFromConfig } from '../src/sessions/from-config.ts';
import { loadDotEnv } from '../src/config.ts';
import { CacheUnavailableError } from 'django-session-bridge';

const USAGE = `usage: npm run session:inspect -- [--json] <session_key>
       npm run session:inspect -- [--json] --cookie '<Cookie header>'

Explains the verdict for one session key (or, with the signed_cookies engine, one cookie value): the row's
expiry, the decoded session, which key verified it, the user and the reason. --cookie takes a whole Cookie
header as the browser or nginx sent it and picks SESSION_COOKIE_NAME out of it as the service does.
Reads DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_SECRET_KEY_FALLBACKS (and the service's other variables),
and DJANGO_OLD_SECRET_KEYS: keys no longer configured, to tell whether adding one back would help. With
DATABASE_REPLICA_URL set, also what the replica says and which database's verdict the service serves.
Exit status: 0 logged in, 1 not logged in (as the service would answer), 2 could not tell.
`;

// The server's clock in UTC; SQLite has no server: it is this machine's file.
const CLOCK_SQL: Record<DjangoDatabase['provider'], string | null> = {
  postgresql: 'SELECT now() AS now',
  mysql: 'SELECT UTC_TIMESTAMP(3) AS now',
  sqlite: null,
};

/** How far this machine's clock is ahead of the database server's, in milliseconds. */
async function clockSkew(db: DjangoDatabase): Promise<number> {
  const sql = CLOCK_SQL[db.provider];
  if (sql === null) return 0;
  const sent = Date.now();
  const [row] = await db.prisma.$queryRawUnsafe<{ now: Date }[]>(sql);
  return (sent + Date.now()) / 2 - (row?.now.getTime() ?? sent);
}

export async function main(argv: string[], env: Record<string, string | undefined>, out: ToolOutput): Promise<number> {
  let cookie: string | undefined;
  let json: boolean;
  let toolConfig;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { cookie: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      out.stdout.write(USAGE);
      return 0;
    }
    const byCookie = values.cookie !== undefined;
    if (positionals.length !== (byCookie ? 0 : 1)) {
      throw new ToolError('give one session key, or --cookie with a Cookie header');
    }
    json = values.json;
    toolConfig = loadToolConfig(env);
    cookie = values.cookie === undefined ? positionals[0] : parseCookieHeader(values.cookie).get(toolConfig.config.sessionCookieName);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    out.stderr.write(`session:inspect: ${error.message}\n\n${USAGE}`);
    return 2;
  }

  const { config, databaseUrl, oldKeys } = toolConfig;
  const db = await openReadOnlyDatabase(databaseUrl, config.dbTimeoutMs);
  const cache = await openSessionCache(config);
  try {
    const now = new Date();
    const explanation = await explain(cookie, {
      // Prisma Client off the hot path; the cache, when configured, read exactly as the service reads it.
      store: storeFromConfig({ ...config, sessionStore: 'prisma' }, db, cache),
      settings: config.django,
      engine: config.sessionEngine,
      now,
      djangoVersion: config.djangoVersion,
      oldKeys,
    });
    const note = clockSkewNote(await clockSkew(db));
    const replicaUrl = config.databaseReplicaUrl;
    const replica = replicaUrl === undefined ? undefined : await viewOnReplica(cookie, replicaUrl, { settings: config.django, engine: config.sessionEngine, now, timeoutMs: config.dbTimeoutMs });
    const text = formatExplanation(explanation, now, note) + (replica ? `${formatReplicaView(replica, explanation.verdict)}\n` : '');
    out.stdout.write(json ? `${JSON.stringify({ ...explanation, clock: note, replica }, null, 2)}\n` : text);
    const served = replica?.answeredBy === 'replica' && replica.verdict ? replica.verdict : explanation.verdict;
    return served.loggedIn ? 0 : 1;
  } catch (error) {
    const what = error instanceof CacheUnavailableError ? 'the session cache' : 'the database';
    out.stderr.write(`session:inspect: could not read ${what}: ${(error as Error).message.split('\n')[0]}\n`);
    return 2;
  } finally {
    await Promise.all([db.close(), cache?.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadDotEnv();
  process.exitCode = await main(process.argv.slice(2), process.env, process);
}
