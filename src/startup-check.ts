import type { Config } from './config.ts';
import type { DjangoDatabase } from './databases/open.ts';
import { describeUrl } from './databases/url.ts';
import { storeFromConfig } from './sessions/from-config.ts';
import { describeModels } from './sessions/user-model.ts';

/** host:port/database or the SQLite file, never the password. */
function place(url: string | undefined): string {
  return url === undefined ? 'DATABASE_URL' : describeUrl(url);
}

// PostgreSQL's and MySQL's codes for "permission denied" and "no such column".
const DENIED = new Set(['42501', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR']);
const NO_COLUMN = new Set(['42703', 'P2022', 'ER_BAD_FIELD_ERROR']);

function codeOf(error: unknown): string | undefined {
  return (error as { code?: unknown }).code?.toString();
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/** The lookups every request makes, once, on a key and an id that match nothing: any mismatch shows here. */
async function probe(config: Config, db: DjangoDatabase): Promise<void> {
  const store = storeFromConfig(config, db);
  if (config.sessionEngine !== 'signed_cookies') await store.findSession('0'.repeat(32));
  await store.findUser(0n);
}

/**
 * With DATABASE_URL set, before serving: Django's tables must be there, readable, and have the columns the
 * generated client reads. Without this a database Django never migrated would serve "Not Logged In" or 503
 * to everyone. Returns what is wrong in one line, or null. Reads only.
 */
export async function startupProblem(config: Config, db: DjangoDatabase): Promise<string | null> {
  const model = describeModels(db.prisma);
  const where = place(config.databaseUrl);
  if (config.userTable !== model.userTable) {
    return `DJANGO_USER_TABLE is "${config.userTable}" but the generated Prisma client reads "${model.userTable}": run npm run db:pull`;
  }
  // The signed_cookies engine keeps sessions in the cookie: only the user table is read.
  const tables = config.sessionEngine === 'signed_cookies' ? [model.userTable] : [model.sessionTable, model.userTable];
  let missing: string[];
  try {
    missing = await db.missingTables(tables);
  } catch (error) {
    return `cannot reach Django's database at ${where}: ${messageOf(error)}`;
  }
  if (missing.length > 0) {
    return `the database at ${where} has no ${missing.join(' and no ')} table: run Django's migrate first (python manage.py migrate), or point DATABASE_URL at the database Django uses`;
  }
  try {
    await probe(config, db);
  } catch (error) {
    const code = codeOf(error);
    const hint =
      code !== undefined && DENIED.has(code)
        ? `grant the role SELECT on ${tables.join(', ')}`
        : code !== undefined && NO_COLUMN.has(code)
          ? 'the tables do not have the columns the generated Prisma client reads: run npm run db:pull'
          : 'check DATABASE_URL and the tables';
    return `reading ${tables.join(' and ')} at ${where} failed (${messageOf(error)}): ${hint}`;
  }
  return null;
}
