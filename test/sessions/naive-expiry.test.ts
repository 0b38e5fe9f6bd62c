import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openDatabase, type DjangoDatabase } from '../../src/databases/open.ts';
import { createAuthenticate } from 'django-session-bridge';
import { storeFromConfig } from '../../src/sessions/from-config.ts';
import { testConfig } from '../helpers/app.ts';
import { mariadbDjangoDb, sqliteDjangoDb, type DjangoDb } from '../helpers/django-databases.ts';
import { mariadbSuite } from '../helpers/mariadb-server.ts';

/** Sessions Django 3.2 wrote with USE_TZ = False in America/Chicago (scripts/django/make_naive_time_sessions.py). */
interface NaiveTimeVectors {
  settings: { SECRET_KEY: string; TIME_ZONE: string; SESSION_COOKIE_AGE: number };
  sessions: {
    database: 'sqlite' | 'mysql';
    session_key: string;
    session_data: string;
    expire_date: string;
    user: { id: number; username: string; password: string };
    checks: { wall_clock: string; instant: string; authenticated: boolean }[];
  }[];
}

const VECTORS = JSON.parse(readFileSync(new URL('../fixtures/vectors/django-3.2-naive-time.json', import.meta.url), 'utf8')) as NaiveTimeVectors;

/**
 * Django's session, logged in on the Saturday before daylight saving time ended and expiring at noon, wall
 * clock, on the Sunday after: Django's verdict a second before and a second after, at the same instants.
 */
function decidesAtDjangosInstant(database: 'sqlite' | 'mysql', openDjango: () => Promise<DjangoDb>): void {
  const vector = VECTORS.sessions.find((session) => session.database === database);
  let django: DjangoDb;
  const opened: DjangoDatabase[] = [];
  before(async () => {
    django = await openDjango();
    await django.insertUser({ id: vector?.user.id, username: vector?.user.username ?? '', password: vector?.user.password });
    await django.insertRawSession(vector?.session_key ?? '', vector?.session_data ?? '', vector?.expire_date ?? '');
  });
  after(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await django?.close();
  });

  async function verdictAt(instant: string, env: Record<string, string>) {
    const config = testConfig(django.url, { DJANGO_SECRET_KEY: VECTORS.settings.SECRET_KEY, DJANGO_VERSION: '3.2', ...env });
    const db = await openDatabase({ url: django.url, poolMax: 2, timeoutMs: 2000 });
    opened.push(db);
    const authenticate = createAuthenticate({ store: storeFromConfig(config, db), settings: config.django, engine: 'db', now: () => new Date(instant) });
    return authenticate(vector?.session_key);
  }

  it('the fixture holds Django\'s naive wall-clock text, and Django\'s verdicts either side of it', () => {
    assert.ok(vector);
    assert.equal(vector.expire_date, '2026-11-01 12:00:00.250000');
    assert.deepEqual(vector.checks.map((check) => check.authenticated), [true, false]);
  });

  for (const store of ['sql', 'prisma']) {
    it(`DJANGO_USE_TZ=false DJANGO_TIME_ZONE=America/Chicago: Django's verdict a second before and after expiry (${store} store)`, async () => {
      for (const check of vector?.checks ?? []) {
        const verdict = await verdictAt(check.instant, { SESSION_STORE: store, DJANGO_USE_TZ: 'false', DJANGO_TIME_ZONE: VECTORS.settings.TIME_ZONE });
        assert.equal(verdict.loggedIn, check.authenticated, `at ${check.instant} (${check.wall_clock} in Chicago)`);
      }
    });
  }

  it('read as UTC (USE_TZ = True), the same row would expire six hours early: the setting matters', async () => {
    const [before] = vector?.checks ?? [];
    assert.equal((await verdictAt(before?.instant ?? '', { DJANGO_USE_TZ: 'true' })).loggedIn, false);
  });
}

describe('naive expire_date on SQLite, as Django wrote it with USE_TZ = False', () => {
  decidesAtDjangosInstant('sqlite', () => sqliteDjangoDb('delete'));
});

mariadbSuite('naive expire_date on MariaDB, as Django wrote it with USE_TZ = False', (server) => {
  decidesAtDjangosInstant('mysql', () => mariadbDjangoDb(server()));
});
