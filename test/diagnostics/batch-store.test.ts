import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DjangoUser } from 'django-session-bridge/django';
import { batchStore, type SessionRecord } from '../../src/diagnostics/batch-store.ts';

function user(id: number): DjangoUser {
  return { id: BigInt(id), password: 'x', isActive: true, username: `u${id}`, firstName: '', lastName: '', email: '', isStaff: false, isSuperuser: false };
}

const rows: SessionRecord[] = [
  { sessionKey: 'aaaaaaaa', sessionData: 'one', expireDate: new Date(1) },
  { sessionKey: 'bbbbbbbb', sessionData: 'two', expireDate: new Date(2) },
];

describe('batchStore', () => {
  it('answers session lookups from the batch it was given', async () => {
    const store = batchStore(rows, async () => []);
    assert.deepEqual(await store.findSession('bbbbbbbb'), { sessionData: 'two', expireDate: new Date(2) });
    assert.equal(await store.findSession('cccccccc'), null);
  });

  it('joins every user lookup made before the event loop turns into one query, each id once', async () => {
    const queries: bigint[][] = [];
    const store = batchStore(rows, async (ids) => {
      queries.push(ids);
      return ids.filter((id) => id !== 3n).map((id) => user(Number(id)));
    });
    const found = await Promise.all([1n, 2n, 1n, 3n].map((id) => store.findUser(id)));
    assert.deepEqual(found.map((u) => u?.username ?? null), ['u1', 'u2', 'u1', null]);
    assert.deepEqual(queries, [[1n, 2n, 3n]]);
    assert.equal(await store.findUser(2n).then((u) => u?.username), 'u2', 'remembered for the batch');
    assert.equal(queries.length, 1);
    await store.findUser(4n);
    assert.deepEqual(queries, [[1n, 2n, 3n], [4n]]);
    assert.deepEqual(store.userQueries(), { count: 2, largest: 3 });
  });

  it('fails every waiting lookup when the query fails', async () => {
    const store = batchStore(rows, async () => {
      throw new Error('database down');
    });
    const results = await Promise.allSettled([store.findUser(1n), store.findUser(2n)]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  });
});
