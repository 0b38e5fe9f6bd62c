import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAlive, runningPostmaster } from '../../src/dev/postmaster.ts';
import { cleanEnv, groupGone, spawnGroup, tempDir } from '../helpers/spawned.ts';
import { freePort } from '../helpers/listen.ts';

describe('`npm run studio` without DATABASE_URL', () => {
  let dataDir: string;

  before(async () => {
    dataDir = join(await tempDir('bridge-studio-'), 'data');
  });
  after(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

  it('serves Prisma Studio on the demo database, and stops it and the database on SIGTERM', async (t) => {
    const port = await freePort();
    const studio = spawnGroup('npm', ['run', 'studio', '--', '--port', String(port)], cleanEnv({ DEMO_DATA_DIR: dataDir, DJANGO_VERSION: '3.2' }));
    try {
      const started = Date.now();
      await studio.waitFor(/Prisma Studio is running at/, 90_000);
      t.diagnostic(`npm run studio: serving after ${Date.now() - started} ms`);
      assert.match(studio.output(), /DEMO DATABASE: Prisma Studio on the embedded demo database/);
      const response = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<html/i);

      const postmaster = runningPostmaster(join(dataDir, 'postgres'));
      assert.ok(postmaster, 'Studio started the demo database');
      studio.kill('SIGTERM', 'process');
      await studio.exited;
      assert.ok(await groupGone(studio, 20_000), `processes left behind:\n${studio.output()}`);
      assert.equal(isAlive(postmaster.pid), false);
    } finally {
      studio.kill('SIGKILL', 'group');
    }
  });
});
