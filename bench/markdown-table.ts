// A results file as Markdown: where and what was measured, then one row per case and variant.
import type { BenchResults } from './results-file.ts';
import type { Target } from './stats.ts';

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (ratio: number | undefined) => (ratio === undefined ? '–' : `${ratio.toFixed(2)}×`);
const loads = (load: number[] | undefined) => (load === undefined ? '?' : load.map((l) => l.toFixed(2)).join(' / '));

/** The run's conditions in a sentence: the machine, the versions, the load on it, the commit and the method. */
export function runConditions(results: BenchResults): string {
  const { machine: m, options: o } = results;
  const commit = results.commit === undefined ? 'an unrecorded commit' : `commit \`${results.commit.slice(0, 12)}\``;
  return (
    `Run finished ${results.finishedAt.slice(0, 16).replace('T', ' ')} UTC on ${commit}: ${m.cores} × ${m.cpu}, ${m.memoryGb} GB, ` +
    `Linux ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgres}, ${m.django}; load average ${loads(m.loadAverageAtStart)} at the start, ` +
    `${loads(m.loadAverageAtEnd)} at the end. ${o.load}, ${o.connections} connections, ${o.warmupRounds} warm-up + ${o.rounds} ` +
    `measured round${o.rounds === 1 ? '' : 's'} of ${o.durationS} s per variant and case; client, servers and databases share the machine.`
  );
}

/** The targets the run judged, as a table; those it could not measure are left out. */
export function targetsMarkdown(targets: readonly Target[]): string {
  const judged = targets.filter((t) => t.met !== undefined);
  if (judged.length === 0) return '';
  const rows = judged.map((t) => `| ${t.name} | ${t.requirement} | ${t.measured} | ${t.met ? 'yes' : 'no'} |`);
  return ['| target (logged-in page) | requirement | measured | met |', '| --- | --- | ---: | --- |', ...rows].join('\n');
}

/** The summary as a Markdown table, in the file's order (case by case, variants as run). */
export function resultsMarkdown(results: BenchResults): string {
  const header = '| case | variant | req/s | × floor | × Django | p50 ms | p99 ms | CPU µs/req | RSS MB |';
  const align = '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = results.summary.map((s) =>
    `| ${s.case} | ${s.variant} | ${whole(s.rps)} | ${times(s.vsFloor)} | ${times(s.vsDjango)} | ${whole(s.p50)} | ${whole(s.p99)} | ${whole(s.cpuUs)} | ${whole(s.rssMb)} |`);
  const variants = results.variants.map((v) => `- \`${v.name}\`: ${v.description}`);
  const targets = targetsMarkdown(results.targets ?? []);
  return [runConditions(results), '', header, align, ...rows, '', ...variants, ...(targets === '' ? [] : ['', targets])].join('\n');
}
