import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTargets, median, summarize, type Sample } from '../../bench/stats.ts';
import { floorOf } from '../../bench/variants.ts';

function sample(round: number, variant: string, rps: number, extra: Partial<Sample> = {}): Sample {
  return { round, case: 'logged in', variant, rps, p50: 5, p99: 20, rssBytes: 100 * 2 ** 20, cpuUsPerRequest: 200, ...extra };
}

describe('bench statistics', () => {
  it('median of odd and even counts, whatever the order', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]));
  });

  it('takes ratios round by round against the baseline of the same round, then their median', () => {
    // The machine slows down in round 2: per-round ratios stay 0.5, a ratio of medians would not.
    const samples = [
      sample(0, 'floor', 1000), sample(0, 'sql', 500),
      sample(1, 'floor', 400), sample(1, 'sql', 200),
      sample(2, 'floor', 1000), sample(2, 'sql', 500),
    ];
    const sql = summarize(samples, floorOf, 'django').find((s) => s.variant === 'sql');
    assert.equal(sql?.vsFloor, 0.5);
    assert.equal(sql?.rps, 500);
    assert.equal(sql?.rounds, 3);
    assert.equal(sql?.vsDjango, undefined, 'no Django samples, no ratio');
  });

  it('keeps cases apart and reports the highest RSS peak', () => {
    const samples = [
      sample(0, 'floor', 1000), sample(0, 'floor', 2000, { case: 'no cookie' }),
      sample(0, 'sql', 700, { rssBytes: 120 * 2 ** 20 }), sample(1, 'sql', 700, { rssBytes: 140 * 2 ** 20 }),
      sample(0, 'sql', 1000, { case: 'no cookie' }),
    ];
    const summary = summarize(samples, floorOf, 'django');
    assert.equal(summary.find((s) => s.variant === 'sql' && s.case === 'no cookie')?.vsFloor, 0.5);
    const loggedIn = summary.find((s) => s.variant === 'sql' && s.case === 'logged in');
    assert.equal(loggedIn?.vsFloor, 0.7, 'round 1 has no floor sample and adds no ratio');
    assert.equal(loggedIn?.rssMb, 140);
  });

  it('takes each database\'s variants against the floor on that database, in the same round', () => {
    const samples = [
      sample(0, 'floor', 1000), sample(0, 'sql', 500),
      sample(0, 'mariadb-floor', 2000), sample(0, 'mariadb', 1200),
      sample(0, 'sqlite-floor', 8000), sample(0, 'sqlite', 2000),
      sample(1, 'floor', 1000), sample(1, 'sqlite-floor', 4000), sample(1, 'sqlite', 2000),
    ];
    const summary = summarize(samples, floorOf, 'django');
    const row = (variant: string) => summary.find((s) => s.variant === variant);
    assert.deepEqual(
      ['floor', 'sql', 'mariadb-floor', 'mariadb', 'sqlite-floor', 'sqlite'].map((variant) => [variant, row(variant)?.floor, row(variant)?.vsFloor]),
      [
        ['floor', 'floor', 1],
        ['sql', 'floor', 0.5],
        ['mariadb-floor', 'mariadb-floor', 1],
        ['mariadb', 'mariadb-floor', 0.6],
        ['sqlite-floor', 'sqlite-floor', 1],
        ['sqlite', 'sqlite-floor', 0.375],
      ],
    );
  });

  it('judges the issue\'s targets on the logged-in case', () => {
    const summary = summarize(
      [
        sample(0, 'floor', 1000),
        sample(0, 'sql', 700, { p99: 29, rssBytes: 149 * 2 ** 20 }),
        sample(0, 'sql+cache', 1700, { p99: 12 }),
        sample(0, 'mariadb-floor', 2000), sample(0, 'mariadb', 900),
        sample(0, 'sqlite-floor', 8000), sample(0, 'sqlite', 4400),
      ],
      floorOf,
      'django',
    );
    const targets = checkTargets(summary, 1200);
    assert.deepEqual(
      targets.map((t) => [t.requirement, t.met]),
      [
        ['≥ 0.65× the floor', true],
        ['p99 < 30 ms', true],
        ['RSS under load < 150 MB', true],
        ['≥ 1.8× the floor', false],
        ['p99 < 20 ms', true],
        ['≥ 0.5× the floor on MariaDB', false],
        ['≥ 0.5× the floor on SQLite', true],
        ['< 1 s', false],
      ],
    );
    assert.equal(targets.find((t) => t.name.startsWith('mariadb'))?.measured, '0.45×');
    assert.equal(checkTargets([], undefined).every((t) => t.met === undefined && t.measured === 'not measured'), true);
  });
});
