import assert from 'node:assert/strict';
import Router from '@koa/router';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createDatabase, type Database } from '../src/db.ts';
import { createLogger } from '../src/logger.ts';
import { LogCapture, testConfig } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const INTERNAL = 'kaboom: internal detail /srv/app/secret-path.ts';

/** The service with one extra route that fails the way a bug would. */
function failingApp(database: TestDatabase, env: Record<string, string>, log = new LogCapture()) {
  const config = testConfig(database.url, env);
  const db = createDatabase({ url: config.databaseUrl as string, poolMax: 2, timeoutMs: config.dbTimeoutMs });
  const broken = new Router();
  broken.get('/broken', () => {
    throw new Error(INTERNAL);
  });
  broken.get('/api/broken', () => {
    throw new Error(INTERNAL);
  });
  const app = createApp({ config, db, logger: createLogger('error', log), extraRoutes: [broken] });
  return { app, db, log };
}

describe('error pages', () => {
  let database: TestDatabase;
  const dbs: Database[] = [];

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    await database.drop();
  });

  it('in production a 500 shows no stack trace and no internal message, on pages and in JSON', async () => {
    const { app, db, log } = failingApp(database, { NODE_ENV: 'production' });
    dbs.push(db);
    const page = await request(app.callback()).get('/elixir/broken').expect(500);
    assert.match(page.headers['content-type'] ?? '', /html/);
    assert.match(page.text, /Something went wrong/);
    for (const leak of ['kaboom', 'secret-path', '    at ', '.ts:', '<pre>']) assert.ok(!page.text.includes(leak), `page shows ${leak}`);
    const api = await request(app.callback()).get('/elixir/api/broken').expect(500);
    assert.deepEqual(api.body, { error: 'Internal server error', status: 500 });
    // The operator still gets the whole story, in the log.
    assert.match(log.text, /kaboom/);
    assert.match(log.text, /"stack"/);
  });

  it('in development the stack is on the page, to show what production hides', async () => {
    const { app, db } = failingApp(database, {});
    dbs.push(db);
    const page = await request(app.callback()).get('/elixir/broken').expect(500);
    assert.match(page.text, /kaboom/);
    assert.match(page.text, /<pre>Error: kaboom[\s\S]*at /);
  });

  it('in production a 503 and a 404 show no detail either', async () => {
    const { app, db } = failingApp(database, { NODE_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none', DB_TIMEOUT_MS: '300' });
    dbs.push(db);
    const unavailable = await request(app.callback()).get('/elixir/').set('Cookie', 'sessionid=abcdefgh12345678abcdefgh12345678').expect(503);
    assert.match(unavailable.text, /Service Unavailable/);
    for (const leak of ['ECONNREFUSED', '127.0.0.1', '    at ', '<pre>']) assert.ok(!unavailable.text.includes(leak), `503 page shows ${leak}`);
    const missing = await request(app.callback()).get('/elixir/nope').expect(404);
    assert.match(missing.text, /Not Found/);
    assert.doesNotMatch(missing.text, /<pre>/);
  });
});
