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

  it('reads, and PostgreSQL refuses every write on its connections', async () => {
    const db = openReadOnlyDatabase(fixture.database.url, 2000);
    try {
      assert.equal(await db.prisma.django_session.count(), 0);
      await assert.rejects(
        db.prisma.$executeRaw`INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('abcdefgh', 'x', now())`,
        /read-only transaction/,
      );
      // Both connections of the pool, not only the first one.
      assert.equal(db.provider, 'postgresql');
      if (db.provider !== 'postgresql') return;
      const clients = await Promise.all([db.pool.connect(), db.pool.connect()]);
      for (const client of clients) {
        await assert.rejects(client.query("DELETE FROM django_session"), /read-only transaction/);
        client.release();
      }
    } finally {
      await db.close();
    }
  });
});
