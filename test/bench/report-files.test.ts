// A results file turned into the Markdown table and the SVG chart docs/performance.md shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embedReport, REPORT_END, REPORT_START } from '../../bench/embed-report.ts';
import { resultsMarkdown } from '../../bench/markdown-table.ts';
import { parseResults, type BenchResults } from '../../bench/results-file.ts';
import type { Summary } from '../../bench/stats.ts';
import { barKind, escapeXml, resultsSvg } from '../../bench/svg-chart.ts';

function row(variant: string, rps: number, vsFloor: number | undefined, extra: Partial<Summary> = {}): Summary {
  return { case: 'logged in', variant, rounds: 1, rps, p50: 5, p99: 20, rssMb: 120.4, cpuUs: 600.4, floor: 'floor', vsFloor, vsDjango: undefined, ...extra };
}

const RESULTS: BenchResults = {
  finishedAt: '2026-12-07T11:08:30.000Z',
  commit: 'b419be9ff9fa6d6f8c31deab3cbd2824afd8576a',
  machine: { cpu: 'AMD EPYC', cores: 2, memoryGb: 24, kernel: '6.18', node: 'v20.20.2', postgres: '17.10', django: 'Django 3.2.25', loadAverageAtStart: [1.35, 1, 0.5], loadAverageAtEnd: [5.68, 2.26, 0.96] },
  options: { rounds: 1, warmupRounds: 0, durationS: 3, connections: 32, load: 'autocannon' },
  variants: [{ name: 'floor', description: 'node:http + pg' }, { name: 'sql', description: 'the service' }, { name: 'django', description: 'Django <3.2> & gunicorn' }],
  startupMs: [1142],
  summary: [
    row('floor', 3156.2, 1, { vsDjango: 6.6 }),
    row('sql', 1363.4, 0.4321, { vsDjango: 2.85 }),
    row('django', 478, 0.15, { vsDjango: 1 }),
    row('floor', 12695, 1, { case: 'no cookie' }),
    row('sql', 3984, 0.31, { case: 'no cookie' }),
  ],
};

describe('bench report', () => {
  it('parses a results file and refuses one without measurements', () => {
    assert.equal(parseResults(JSON.stringify(RESULTS)).commit, RESULTS.commit);
    assert.throws(() => parseResults(JSON.stringify({ ...RESULTS, summary: [] })), /no measurements/);
    assert.throws(() => parseResults('{"finishedAt":"x"}'), /no "machine"/);
  });

  it('writes a Markdown table with the machine, the load on it and the commit', () => {
    const markdown = resultsMarkdown(RESULTS);
    assert.match(markdown, /^Run finished 2026-12-07 11:08 UTC on commit `b419be9ff9fa`: 2 × AMD EPYC, 24 GB/);
    assert.match(markdown, /load average 1\.35 \/ 1\.00 \/ 0\.50 at the start, 5\.68 \/ 2\.26 \/ 0\.96 at the end/);
    assert.ok(markdown.includes('| logged in | sql | 1,363 | 0.43× | 2.85× | 5 | 20 | 600 | 120 |'));
    assert.ok(markdown.includes('| no cookie | sql | 3,984 | 0.31× | – |'));
    assert.ok(markdown.includes('- `django`: Django <3.2> & gunicorn'));
  });

  it('adds the targets the run judged, leaving out those it could not measure', () => {
    const markdown = resultsMarkdown({
      ...RESULTS,
      targets: [
        { name: 'sql store, cache off, one process', requirement: '≥ 0.65× the floor', measured: '0.43×', met: false },
        { name: 'start-up', requirement: '< 1 s', measured: '442 ms', met: true },
        { name: 'mariadb store', requirement: '≥ 0.5×', measured: 'not measured', met: undefined },
      ],
    });
    assert.ok(markdown.endsWith([
      '| target (logged-in page) | requirement | measured | met |',
      '| --- | --- | ---: | --- |',
      '| sql store, cache off, one process | ≥ 0.65× the floor | 0.43× | no |',
      '| start-up | < 1 s | 442 ms | yes |',
    ].join('\n')));
    assert.ok(!resultsMarkdown(RESULTS).includes('| target'));
  });

  it('says so when the commit was not recorded', () => {
    assert.match(resultsMarkdown({ ...RESULTS, commit: undefined }), /on an unrecorded commit:/);
  });

  it('draws the floor and Django as reference bars, every variant with req/s and × floor', () => {
    assert.deepEqual(RESULTS.summary.map(barKind), ['floor', 'variant', 'django', 'floor', 'variant']);
    const svg = resultsSvg(RESULTS);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="760" height="\d+"/);
    assert.equal(svg.match(/<g class="bar /g)?.length, 5);
    assert.equal(svg.match(/<g class="bar floor">/g)?.length, 2);
    assert.equal(svg.match(/<g class="bar django">/g)?.length, 1);
    assert.ok(svg.includes('>1,363 req/s, 0.43× floor</text>'));
    assert.ok(svg.includes('>3,156 req/s (floor)</text>'));
    assert.ok(svg.includes('>logged in</text>') && svg.includes('>no cookie</text>'));
  });

  it('scales each case on its own: the fastest bar of each case is the full width', () => {
    const widths = [...resultsSvg(RESULTS).matchAll(/<rect x="150" y="\d+" width="(\d+)"/g)].map((match) => Number(match[1]));
    assert.deepEqual(widths, [420, Math.round((1363.4 * 420) / 3156.2), Math.round((478 * 420) / 3156.2), 420, Math.round((3984 * 420) / 12695)]);
  });

  it('escapes what XML gives meaning to', () => {
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
    assert.ok(!resultsSvg({ ...RESULTS, summary: [row('floor', 1, 1), row('x<y>&', 1, 1)] }).includes('x<y>&'));
  });

  it('replaces only what stands between the page\'s markers', () => {
    const page = `# Performance\n\nBefore.\n\n${REPORT_START}\nold table\n${REPORT_END}\n\nAfter.\n`;
    assert.equal(embedReport(page, 'new table\n'), `# Performance\n\nBefore.\n\n${REPORT_START}\nnew table\n${REPORT_END}\n\nAfter.\n`);
    assert.throws(() => embedReport('# No markers', 'x'), /markers/);
  });
});
