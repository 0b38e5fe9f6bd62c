import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import pg from 'pg';
import type { ReplicaState, ReplicaWatch } from 'django-session-bridge';
import { watchReplica } from 'django-session-bridge/postgresql';
import { packagedSuite } from '../helpers/packaged-suite.ts';
import { missingPostgres15, startReplication, type Replication } from '../helpers/standby.ts';

async function until(watch: ReplicaWatch, what: string, holds: (state: ReplicaState) => boolean, timeoutMs = 5000): Promise<ReplicaState> {
  const deadline = Date.now() + timeoutMs;
  while (!holds(watch.state())) {
    if (Date.now() > deadline) throw new Error(`never ${what}: ${JSON.stringify(watch.state())}`);
    await sleep(50);
  }
  return watch.state();
}

packagedSuite('the replica lag watch, on a real physical standby (Debian PostgreSQL 15)', missingPostgres15(), () => {
  let replication: Replication;
  const pools: pg.Pool[] = [];
  const watches: ReplicaWatch[] = [];

  function watch(url: string, maxLagMs?: number, onChange?: (state: ReplicaState, usable: boolean) => void): ReplicaWatch {
    const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000, query_timeout: 5000 });
    pool.on('error', () => {});
    pools.push(pool);
    const watching = watchReplica(pool, { maxLagMs, onChange });
    watches.push(watching);
    return watching;
  }

  before(async () => {
    replication = await startReplication();
    await replication.caughtUp();
  });
  after(async () => {
    for (const watching of watches) watching.stop();
    await Promise.all(pools.map((pool) => pool.end()));
    await replication?.destroy();
  });

  it('an idle primary is no lag, however old the last replayed transaction', async () => {
    const watching = watch(replication.standby.url('postgres'));
    await until(watching, 'polled', (state) => state.standby);
    await sleep(1500);
    assert.deepEqual(watching.state(), { up: true, standby: true, lagMs: 0 });
  });

  it('WAL received but not replayed is lag, growing until replay resumes; the bound is crossed both ways', async () => {
    const changes: boolean[] = [];
    const watching = watch(replication.standby.url('postgres'), 300, (_state, usable) => changes.push(usable));
    await until(watching, 'usable', () => watching.usable());
    const admin = new pg.Client({ connectionString: replication.primary.url('postgres') });
    await admin.connect();
    // A replayed transaction to date the lag by: until one, a standby behind cannot say how far (lag unknown).
    await admin.query('CREATE TABLE replayed (id int)');
    await replication.caughtUp();
    await replication.pauseReplay();
    try {
      await admin.query('CREATE TABLE written_while_paused (id int)');
      await admin.end();
      const behind = await until(watching, 'behind by more than the bound', (state) => (state.lagMs ?? 0) > 300);
      assert.equal(watching.usable(), false);
      await until(watching, 'growing while replay is paused', (state) => (state.lagMs ?? 0) > (behind.lagMs ?? 0));
    } finally {
      await replication.resumeReplay();
    }
    await until(watching, 'caught up', (state) => state.lagMs === 0);
    assert.equal(watching.usable(), true);
    assert.deepEqual(changes, [true, false, true]);
  });

  it('not a standby (the primary itself): lag unknown, unusable only with a bound set', async () => {
    const unbounded = watch(replication.primary.url('postgres'));
    const bounded = watch(replication.primary.url('postgres'), 1000);
    // Indistinguishable from "not polled yet" by design: give the first poll, started at once, time to answer.
    await sleep(500);
    assert.deepEqual(unbounded.state(), { up: true, standby: false, lagMs: null });
    assert.equal(unbounded.usable(), true);
    assert.equal(bounded.usable(), false);
  });

  it('a replica that does not answer is down until it does', async () => {
    const watching = watch('postgresql://postgres@127.0.0.1:1/postgres');
    const state = await until(watching, 'down', (polled) => !polled.up);
    assert.equal(state.lagMs, null);
    assert.equal(watching.usable(), false);
  });
});
