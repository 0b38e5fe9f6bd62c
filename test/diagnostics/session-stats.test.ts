import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DjangoUser } from 'django-session-bridge/django';
import type { DjangoSettings } from 'django-session-bridge/django';
import { batchStore, type SessionRecord } from '../../src/diagnostics/batch-store.ts';
import { formatStats } from '../../src/diagnostics/format.ts';
import { SessionStats } from '../../src/diagnostics/session-stats.ts';
import { encodeSession, loginSession, MODEL_BACKEND } from '../helpers/django.ts';

const KEY = 'stats-unit-current-key-0123456789abcdefghijklmnopqrstuvwxyz';
const FALLBACK = 'stats-unit-fallback-key-0123456789abcdefghijklmnopqrstuvwxyz';
const OLD = 'stats-unit-old-key-0123456789abcdefghijklmnopqrstuvwxyz';
const NOW = new Date('2030-01-01T00:00:00Z');
const LATER = new Date('2030-01-15T00:00:00Z');

const user = (id: number, isActive = true): DjangoUser => ({
  id: BigInt(id),
  password: `pbkdf2_sha256$600000$salt$hash-of-user-${id}=`,
  isActive,
  username: `user${id}`,
  firstName: '',
  lastName: '',
  email: '',
  isStaff: false,
  isSuperuser: false,
});
const USERS = [user(1), user(2, false)];

const SETTINGS: DjangoSettings = {
  secretKey: KEY,
  secretKeyFallbacks: [FALLBACK],
  authenticationBackends: [MODEL_BACKEND],
  acceptLegacy: false,
  sessionCookieAge: 1_209_600,
  maxSessionBytes: 1_048_576,
};

let serial = 0;
function record(sessionData: string, expireDate = LATER): SessionRecord {
  serial += 1;
  return { sessionKey: `key${String(serial).padStart(8, '0')}`, sessionData, expireDate };
}
const login = (id: number, hashKey: string, signKey = KEY) => record(encodeSession(loginSession(id, (USERS[id - 1] as DjangoUser).password, hashKey), signKey));

function findUsers(queries: bigint[][]) {
  return async (ids: bigint[]) => {
    queries.push(ids);
    return USERS.filter((u) => ids.includes(u.id));
  };
}

describe('SessionStats', () => {
  it('counts verdicts by reason and category, and what each key change would do', async () => {
    const stats = new SessionStats({ settings: SETTINGS, oldKeys: [OLD], now: NOW });
    const batches = [
      [login(1, KEY), login(1, FALLBACK), login(1, KEY, FALLBACK), record(encodeSession({ a: 1 }, KEY))],
      [login(1, OLD, OLD), login(1, OLD), login(2, KEY), record('garbage'), record(encodeSession({ a: 1 }, OLD))],
    ];
    const queries: bigint[][] = [];
    for (const rows of batches) await stats.add(rows, batchStore(rows, findUsers(queries)));
    const report = stats.report();

    assert.equal(report.sessions, 9);
    assert.deepEqual(report.categories, { logged_in: 3, anonymous: 3, undecodable: 3, no_session: 0 });
    assert.deepEqual(
      Object.fromEntries(Object.entries(report.reasons).filter(([, n]) => n > 0)),
      { logged_in: 2, logged_in_fallback_key: 1, anonymous: 1, hash_mismatch: 1, inactive: 1, bad_signature: 3 },
    );
    assert.deepEqual(report.fallbacks, [{ position: 1, wouldLogOut: 2 }]);
    assert.deepEqual(report.oldKeys, [{ position: 1, wouldLogIn: 2 }]);
    // One query per batch for all of its users; the key variants reuse them.
    assert.deepEqual(queries, [[1n], [1n, 2n]]);
  });

  it('judges expiry at the instant the scan started', async () => {
    const stats = new SessionStats({ settings: SETTINGS, oldKeys: [], now: NOW });
    const rows = [record(encodeSession({ a: 1 }, KEY), NOW)];
    await stats.add(rows, batchStore(rows, async () => []));
    assert.equal(stats.report().reasons.expired, 1);
  });

  it('reports zeros for an empty table', () => {
    const report = new SessionStats({ settings: { ...SETTINGS, secretKeyFallbacks: [] }, oldKeys: [], now: NOW }).report();
    assert.equal(report.sessions, 0);
    assert.deepEqual(report.fallbacks, []);
    const text = formatStats(report, 0, { size: 1000, count: 0 });
    assert.match(text, /^logged in +0$/m);
    assert.match(text, /nothing to check/);
  });
});
