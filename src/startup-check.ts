import type { Config } from './config.ts';
import type { Database } from './db.ts';
import { storeFromConfig } from './sessions/from-config.ts';
import { probeStore } from './sessions/probe.ts';
import { describeModels } from './sessions/user-model.ts';

/** host:port/database, never the password. */
function place(url: string | undefined): string {
  if (url === undefined) return 'DATABASE_URL';
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: unknown }).code?.toString();
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/**
 * With DATABASE_URL set, before serving: Django's tables must be there, readable, and have the columns the
 * generated client reads. Without this a database Django never migrated would serve "Not Logged In" or 503
 * to everyone. Returns what is wrong in one line, or null. Reads only.
 */
export async function startupProblem(config: Config, db: Database): Promise<string | null> {
  const model = describeModels(db.prisma);
  const where = place(config.databaseUrl);
  if (config.userTable !== model.userTable) {
    return `DJANGO_USER_TABLE is "${config.userTable}" but the generated Prisma client reads "${model.userTable}": run npm run db:pull`;
  }
  // The signed_cookies engine keeps sessions in the cookie: only the user table is read.
  const tables = config.sessionEngine === 'signed_cookies' ? [model.userTable] : [model.sessionTable, model.userTable];
  let missing: string[];
  try {
    const found = await db.pool.query<{ name: string; oid: string | null }>(
      'SELECT name, to_regclass(quote_ident(name))::text AS oid FROM unnest($1::text[]) AS name',
      [tables],
    );
    missing = found.rows.filter((row) => row.oid === null).map((row) => row.name);
  } catch (error) {
    return `cannot reach Django's database at ${where}: ${messageOf(error)}`;
  }
  if (missing.length > 0) {
    return `the database at ${where} has no ${missing.join(' and no ')} table: run Django's migrate first (python manage.py migrate), or point DATABASE_URL at the database Django uses`;
  }
  try {
    await probeStore(storeFromConfig(config, db), config.sessionEngine);
  } catch (error) {
    const code = codeOf(error);
    const hint =
      code === '42501'
        ? `grant the role SELECT on ${tables.join(', ')}`
        : code === '42703' || code === 'P2022'
          ? 'the tables do not have the columns the generated Prisma client reads: run npm run db:pull'
          : 'check DATABASE_URL and the tables';
    return `reading ${tables.join(' and ')} at ${where} failed (${messageOf(error)}): ${hint}`;
  }
  return null;
}
