import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openReadOnlyDatabase } from '../../src/diagnostics/read-only-database.ts';
import { createFixture, type Fixture } from '../helpers/app.ts';

describe('openReadOnlyDatabase', () => {
  let fixture: Fixture;
  before(async () => {
    fixture = await createFixture();
  });
  after(() => fixture.close());

  it('reads, and PostgreSQL refuses every write, each statement in its own read-only transaction', async () => {
    const db = await openReadOnlyDatabase(fixture.database.url, 2000);
    try {
      assert.equal(await db.prisma.django_session.count(), 0);
      await assert.rejects(
        db.prisma.$executeRaw`INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('abcdefgh', 'x', now())`,
        /read-only transaction/,
      );
      assert.equal(db.provider, 'postgresql');
      if (db.provider !== 'postgresql') return;
      // More statements than the pool has connections, all at once: none of them on a writable connection.
      const writes = await Promise.allSettled(Array.from({ length: 6 }, () => db.pool.query('DELETE FROM django_session')));
      assert.deepEqual(writes.map((write) => write.status === 'rejected' && /read-only transaction/.test(String(write.reason))), Array(6).fill(true));
      assert.equal((await db.pool.query<{ transaction_read_only: string }>('SHOW transaction_read_only')).rows[0]?.transaction_read_only, 'on');
      // Nothing is left on the connections (PgBouncer would hand them to other clients): outside the tool's
      // statements a connection is as PostgreSQL made it.
      const client = await db.pool.connect();
      try {
        assert.equal((await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only')).rows[0]?.transaction_read_only, 'off');
      } finally {
        client.release();
      }
    } finally {
      await db.close();
    }
  });
});
