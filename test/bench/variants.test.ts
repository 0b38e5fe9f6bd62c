import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { floorOf, variants, wanted, type VariantContext } from '../../bench/variants.ts';

const context: VariantContext = {
  source: true,
  databaseUrl: 'postgresql://bench@127.0.0.1:5432/bench',
  replicaUrl: undefined,
  secretKey: 'k',
  cacheTtlMs: 1000,
  django: undefined,
  redisUrl: undefined,
};

describe('bench variants', () => {
  it('compares each database\'s variants with the floor on that database', () => {
    assert.equal(floorOf('mariadb'), 'mariadb-floor');
    assert.equal(floorOf('mariadb-floor'), 'mariadb-floor');
    assert.equal(floorOf('sqlite'), 'sqlite-floor');
    assert.equal(floorOf('sqlite-floor'), 'sqlite-floor');
    for (const variant of ['floor', 'sql', 'prisma', 'sql+cache', 'sql×2', 'no-db', 'pgbouncer', 'replica', 'redis', 'django']) {
      assert.equal(floorOf(variant), 'floor', variant);
    }
  });

  it('every variant\'s floor is a variant that runs alongside it', () => {
    const all = variants({ ...context, mariadbUrl: 'mysql://root@127.0.0.1:3306/bench', sqliteUrl: 'file:/tmp/bench.sqlite3' });
    const names = all.map((v) => v.name);
    for (const name of names) assert.ok(names.includes(floorOf(name)), `${name} → ${floorOf(name)}`);
  });

  it('adds the MariaDB and SQLite variants only for a database they can run on, each on its own URL', () => {
    const names = (extra: Partial<VariantContext>) => variants({ ...context, ...extra }).map((v) => v.name);
    assert.equal(names({}).some((name) => /mariadb|sqlite/.test(name)), false);
    assert.deepEqual(names({ sqliteUrl: 'file:/tmp/bench.sqlite3' }).filter((name) => name.startsWith('sqlite')), ['sqlite-floor', 'sqlite']);
    const all = variants({ ...context, mariadbUrl: 'mysql://root@127.0.0.1:3306/bench', sqliteUrl: 'file:/tmp/bench.sqlite3' });
    const env = (name: string) => all.find((v) => v.name === name)?.env(8000).DATABASE_URL;
    assert.equal(env('mariadb'), 'mysql://root@127.0.0.1:3306/bench');
    assert.equal(env('mariadb-floor'), 'mysql://root@127.0.0.1:3306/bench');
    assert.equal(env('sqlite'), 'file:/tmp/bench.sqlite3');
    assert.equal(env('sqlite-floor'), 'file:/tmp/bench.sqlite3');
    assert.equal(env('sql'), context.databaseUrl);
    assert.equal(env('floor'), context.databaseUrl);
  });

  it('wants every variant when none is named, else only the named ones', () => {
    assert.equal(wanted([], 'mariadb'), true);
    assert.equal(wanted(['floor', 'mariadb'], 'mariadb'), true);
    assert.equal(wanted(['floor', 'sql'], 'mariadb'), false);
  });
});
