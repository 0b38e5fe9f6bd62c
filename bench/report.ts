import type { Summary, Target } from './stats.ts';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const times = (ratio: number | undefined) => (ratio === undefined ? '–' : `${ratio.toFixed(2)}×`);

export function resultsTable(summary: Summary[]): string {
  return table(
    ['case', 'variant', 'req/s', 'p50 ms', 'p99 ms', 'RSS MB', 'CPU µs/req', 'vs floor', 'floor', 'vs Django'],
    summary.map((s) => [
      s.case, s.variant, Math.round(s.rps).toString(), s.p50.toFixed(0), s.p99.toFixed(0), s.rssMb.toFixed(0), s.cpuUs.toFixed(0), times(s.vsFloor), s.floor, times(s.vsDjango),
    ]),
  );
}

export function targetsTable(targets: Target[]): string {
  return table(
    ['target', 'requirement', 'measured', 'met'],
    targets.map((t) => [t.name, t.requirement, t.measured, t.met === undefined ? '–' : t.met ? 'yes' : 'NO']),
  );
}
