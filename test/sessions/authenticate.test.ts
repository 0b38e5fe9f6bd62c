import { tablesFromPrisma } from 'django-session-bridge/prisma';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DjangoSettings } from 'django-session-bridge/django';
import { createDatabase, type Database } from '../../src/db.ts';
import { createAuthenticate } from 'django-session-bridge';
import { createSqlStore } from 'django-session-bridge';
import type { SessionStore } from 'django-session-bridge';
import { SECRET_KEY } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from '../helpers/django.ts';

const settings: DjangoSettings = {
  secretKey: SECRET_KEY,
  secretKeyFallbacks: [],
  authenticationBackends: ['django.contrib.auth.backends.ModelBackend'],
  acceptLegacy: false,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: 1_048_576,
};

describe('createAuthenticate', () => {
  let database: TestDatabase;
  let db: Database;
  let store: SessionStore;
  let lookups: string[];

  before(async () => {
    database = await createTestDatabase();
    db = createDatabase({ url: database.url, poolMax: 2, timeoutMs: 2000 });
    const real = createSqlStore(db.pool, tablesFromPrisma(db.prisma));
    store = {
      findSession: (key) => (lookups.push('session'), real.findSession(key)),
      findUser: (id) => (lookups.push('user'), real.findUser(id)),
    };
  });
  after(async () => {
    await db.close();
    await database.drop();
  });

  it('looks nothing up without a well-formed key', async () => {
    lookups = [];
    const authenticate = createAuthenticate({ store, settings, engine: 'db' });
    assert.equal((await authenticate(undefined)).reason, 'no_cookie');
    assert.equal((await authenticate('')).reason, 'no_cookie');
    assert.equal((await authenticate('NOT-A-KEY')).reason, 'malformed_key');
    assert.deepEqual(lookups, []);
  });

  it('compares expire_date with its own clock, like Django\'s expire_date > timezone.now()', async () => {
    const expires = new Date('2030-01-01T00:00:00Z');
    const key = await insertSession(db.pool, encodeSession({}, SECRET_KEY), expires);
    const at = (now: Date) => createAuthenticate({ store, settings, engine: 'db', now: () => now })(key);
    assert.equal((await at(new Date(expires.getTime() - 1))).reason, 'anonymous');
    assert.equal((await at(expires)).reason, 'expired');
  });

  it('looks the user up only for a session that names one', async () => {
    const alice = await insertUser(db.pool, { username: 'alice' });
    const anonymousKey = await insertSession(db.pool, encodeSession({ visits: 1 }, SECRET_KEY));
    const aliceKey = await insertSession(db.pool, encodeSession(loginSession(alice, await userPassword(db.pool, alice), SECRET_KEY), SECRET_KEY));
    const authenticate = createAuthenticate({ store, settings, engine: 'db' });
    lookups = [];
    assert.equal((await authenticate(anonymousKey)).reason, 'anonymous');
    assert.deepEqual(lookups, ['session']);
    lookups = [];
    const verdict = await authenticate(aliceKey);
    assert.equal(verdict.reason, 'logged_in');
    assert.equal(verdict.user?.username, 'alice');
    assert.deepEqual(lookups, ['session', 'user']);
  });

  it('lets database errors escape instead of deciding', async () => {
    const failing: SessionStore = { findSession: () => Promise.reject(new Error('down')), findUser: () => Promise.reject(new Error('down')) };
    const authenticate = createAuthenticate({ store: failing, settings, engine: 'db' });
    await assert.rejects(authenticate('abcdefgh12345678'), /down/);
  });
});
