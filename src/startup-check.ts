import type { Config } from './config.ts';
import type { DjangoDatabase } from './databases/open.ts';
import { describeUrl } from 'django-session-bridge';
import { permissionStoreFromConfig, storeFromConfig } from './sessions/from-config.ts';
import { tablesFromPrisma } from 'django-session-bridge/prisma';
import { probeStore } from 'django-session-bridge';
import type { ServiceReplica as Replica } from './sessions/replica.ts';
import { CacheUnavailableError, type SessionCache } from 'django-session-bridge';

/** host:port/database or the SQLite file, never the password. */
function place(url: string | undefined): string {
  return url === undefined ? 'DATABASE_URL' : describeUrl(url);
}

// PostgreSQL's and MySQL's codes for "permission denied" and "no such column".
const DENIED = new Set(['42501', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR']);
const NO_COLUMN = new Set(['42703', 'P2022', 'ER_BAD_FIELD_ERROR']);

/** The database's error code, also when Prisma wraps it (P2010, the driver's error in meta). */
function codeOf(error: unknown): string | undefined {
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { code?: unknown } } } };
  return (meta?.driverAdapterError?.cause?.code ?? code)?.toString();
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/** Which database a check is about, as its messages name it. */
interface Target {
  db: DjangoDatabase;
  url: string | undefined;
  /** "Django's database", "the read replica (DATABASE_REPLICA_URL)". */
  label: string;
  variable: 'DATABASE_URL' | 'DATABASE_REPLICA_URL';
  cache: SessionCache | undefined;
}

async function databaseProblem(config: Config, { db, url, label, variable, cache }: Target): Promise<string | null> {
  const model = tablesFromPrisma(db.prisma);
  const where = place(url);
  // The signed_cookies and cache engines keep sessions elsewhere: only the user table is read.
  const tables = config.sessionEngine === 'signed_cookies' || config.sessionEngine === 'cache' ? [model.userTable] : [model.sessionTable, model.userTable];
  let missing: string[];
  try {
    missing = await db.missingTables(tables);
  } catch (error) {
    return `cannot reach ${label} at ${where}: ${messageOf(error)}`;
  }
  if (missing.length > 0) {
    return `the database at ${where} has no ${missing.join(' and no ')} table: run Django's migrate first (python manage.py migrate), or point ${variable} at the database Django uses`;
  }
  try {
    await probeStore(storeFromConfig(config, db, cache), config.sessionEngine);
  } catch (error) {
    if (error instanceof CacheUnavailableError) return `cannot reach the session cache at DJANGO_CACHE_URL: ${messageOf(error.cause)}`;
    const code = codeOf(error);
    const hint =
      code !== undefined && DENIED.has(code)
        ? `grant the role SELECT on ${tables.join(', ')}`
        : code !== undefined && NO_COLUMN.has(code)
          ? 'the tables do not have the columns the generated Prisma client reads: run npm run db:pull'
          : `check ${variable} and the tables`;
    return `reading ${tables.join(' and ')} at ${where} failed (${messageOf(error)}): ${hint}`;
  }
  // Read only when a page asks for permissions: without this check, a role missing these grants would
  // start and then answer 503 to every logged-in /api/me.
  try {
    await permissionStoreFromConfig(config, db)(0n, 'own');
  } catch (error) {
    const permissionTables = Object.values(tablesFromPrisma(db.prisma).permissions).map((table) => table.table);
    const hint =
      DENIED.has(codeOf(error) ?? '')
        ? 'grant the role SELECT on the columns docs/read-only-role.sql lists'
        : "run Django's migrate (django.contrib.auth) and npm run db:pull";
    return `reading the permission tables (${permissionTables.join(', ')}) at ${where} failed (${messageOf(error)}): ${hint}`;
  }
  return null;
}

/** A lag bound needs a physical standby: anywhere else pg_last_xact_replay_timestamp() says nothing. */
async function lagProblem(config: Config, replica: Replica): Promise<string | null> {
  if (replica.maxLagMs === undefined) return null;
  const { rows } = await replica.db.pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  if (rows[0]?.standby === true) return null;
  return `DATABASE_REPLICA_MAX_LAG_MS is set but the replica at ${place(config.databaseReplicaUrl)} is not a physical standby (pg_is_in_recovery() is false), so its lag cannot be read: unset DATABASE_REPLICA_MAX_LAG_MS`;
}

/**
 * With DATABASE_URL set, before serving: Django's tables must be there, readable, and have the columns the
 * generated client reads, on the primary and on DATABASE_REPLICA_URL's replica. Without this a database Django
 * never migrated would serve "Not Logged In" or 503 to everyone. Returns what is wrong in one line, or null.
 * Reads only.
 */
export async function startupProblem(config: Config, db: DjangoDatabase, replica?: Replica, cache?: SessionCache): Promise<string | null> {
  const model = tablesFromPrisma(db.prisma);
  if (config.userTable !== model.userTable) {
    return `DJANGO_USER_TABLE is "${config.userTable}" but the generated Prisma client reads "${model.userTable}": run npm run db:pull`;
  }
  const primary = await databaseProblem(config, { db, url: config.databaseUrl, label: "Django's database", variable: 'DATABASE_URL', cache });
  if (primary !== null || replica === undefined) return primary;
  return (
    (await databaseProblem(config, { db: replica.db, url: config.databaseReplicaUrl, label: 'the read replica (DATABASE_REPLICA_URL)', variable: 'DATABASE_REPLICA_URL', cache })) ??
    (await lagProblem(config, replica))
  );
}
