import { tablesFromPrisma } from 'django-session-bridge/prisma';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { main as inspect } from '../scripts/session-inspect.ts';
import { main as stats } from '../scripts/session-stats.ts';
import { createPrismaStore } from 'django-session-bridge/prisma';
import { createSqlStore } from 'django-session-bridge';
import { createFixture, SECRET_KEY, type Fixture } from './helpers/app.ts';
import { encodeSession, insertSession, insertUser, loginSession, userPassword } from './helpers/django.ts';
import { captureOutput } from './helpers/tool-output.ts';

const HOUR = 3_600_000;

// adapter-pg on its own reads and sends timestamps as if the session TimeZone were UTC. Nothing may pin it
// (PgBouncer refuses the startup parameter), so the service must be right under a database whose TimeZone
// is hours away from UTC, either way: a session that expired an hour ago, or expires in an hour, would
// otherwise flip.
describe('timestamps under a database TimeZone other than UTC', () => {
  let fixture: Fixture;
  let validKey: string;
  let expiredKey: string;
  const validUntil = new Date(Math.floor(Date.now() / 1000) * 1000 + HOUR + 123);

  before(async () => {
    fixture = await createFixture();
    const id = await insertUser(fixture.django, { username: 'tz' });
    const session = encodeSession(loginSession(id, await userPassword(fixture.django, id), SECRET_KEY), SECRET_KEY);
    validKey = await insertSession(fixture.django, session, validUntil);
    expiredKey = await insertSession(fixture.django, session, new Date(Date.now() - HOUR));
  });
  after(() => fixture.close());

  for (const zone of ['Asia/Tokyo', 'America/Chicago']) {
    it(`${zone}: both stores, every route's verdict and the tools read the same instants as Django wrote`, async () => {
      await fixture.django.query(`ALTER DATABASE "${fixture.database.name}" SET TimeZone = '${zone}'`);
      for (const store of ['sql', 'prisma']) {
        const built = fixture.app({ SESSION_STORE: store });
        assert.equal((await built.db.pool.query<{ TimeZone: string }>('SHOW TimeZone')).rows[0]?.TimeZone, zone);
        const me = async (key: string) => (await request(built.app.callback()).get('/elixir/api/me').set('Cookie', `sessionid=${key}`).expect(200)).body as { loggedIn: boolean };
        assert.equal((await me(validKey)).loggedIn, true, `${store}: expires in an hour`);
        assert.equal((await me(expiredKey)).loggedIn, false, `${store}: expired an hour ago`);
        const lookup = store === 'sql' ? createSqlStore(built.db.pool, tablesFromPrisma(built.db.prisma)) : createPrismaStore(built.db.prisma);
        assert.equal(((await lookup.findSession(validKey)) as { expireDate: Date } | null)?.expireDate.toISOString(), validUntil.toISOString(), `${store}: to the millisecond`);
        const [row] = await built.db.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
        assert.ok(Math.abs((row?.now.getTime() ?? 0) - Date.now()) < 60_000, `${store}: now() is now, not ${row?.now.toISOString()}`);
      }

      const env = { DATABASE_URL: fixture.database.url, DJANGO_SECRET_KEY: SECRET_KEY };
      const counted = captureOutput();
      assert.equal(await stats(['--json'], env, counted), 0);
      const report = JSON.parse(counted.out()) as { sessions: number; expired: number };
      assert.deepEqual({ sessions: report.sessions, expired: report.expired }, { sessions: 1, expired: 1 });
      const explained = captureOutput();
      assert.equal(await inspect(['--json', validKey], env, explained), 0);
      assert.match(explained.out(), new RegExp(validUntil.toISOString()));
    });
  }
});
