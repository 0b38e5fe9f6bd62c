import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDjangoDatabase, databaseUrl } from '../test/helpers/database.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from '../test/helpers/django.ts';

export const CASES = ['no cookie', 'anonymous', 'logged in'] as const;
export type CaseName = (typeof CASES)[number];

export interface BenchDatabase {
  url: string;
  /** Session cookies per case (none for "no cookie"). */
  cookies: Record<CaseName, string[]>;
  /** Each session key's dict, for the variants that read sessions from a cache. */
  sessions: Map<string, Record<string, unknown>>;
  drop(): Promise<void>;
}

/**
 * A database with Django's real tables (the schema `manage.py migrate` wrote), holding `sessions` users each
 * logged in with a session as django.contrib.auth.login() leaves it, and as many anonymous sessions.
 */
export async function createBenchDatabase(adminUrl: string, secretKey: string, sessions: number): Promise<BenchDatabase> {
  const name = `bridge_bench_${randomBytes(4).toString('hex')}`;
  await createDjangoDatabase(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const cookies: Record<CaseName, string[]> = { 'no cookie': [], anonymous: [], 'logged in': [] };
  const dicts = new Map<string, Record<string, unknown>>();
  try {
    for (let i = 0; i < sessions; i += 1) {
      const id = await insertUser(client, { username: `bench${i}`, firstName: 'Bench', lastName: `User ${i}` });
      const session = loginSession(id, await userPassword(client, id), secretKey);
      const loggedIn = await insertSession(client, encodeSession(session, secretKey));
      const anonymous = await insertSession(client, encodeSession({ visits: i + 1 }, secretKey));
      cookies['logged in'].push(loggedIn);
      cookies.anonymous.push(anonymous);
      dicts.set(loggedIn, session).set(anonymous, { visits: i + 1 });
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return {
    url,
    cookies,
    sessions: dicts,
    async drop() {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
