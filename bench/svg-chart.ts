// A results file as an SVG bar chart, written by hand (no chart library): one group per case, one bar per
// variant, its length req/s on the case's own scale, labelled with req/s and × floor. The floor and Django
// are drawn as reference bars, so every other bar reads against both.
import type { BenchResults } from './results-file.ts';
import type { Summary } from './stats.ts';

const WIDTH = 760;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 170;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const GROUP_TITLE = 26;
const GROUP_GAP = 14;
const TOP = 44;
const BAR_SPACE = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;

/** Which role a bar plays: a reference (the floor on any database, Django) or a measured variant. */
export function barKind(summary: Summary): 'floor' | 'django' | 'variant' {
  if (summary.variant === summary.floor) return 'floor';
  if (summary.variant === 'django') return 'django';
  return 'variant';
}

const FILL = { floor: '#9aa5b1', django: '#c9a227', variant: '#2f6db5' } as const;

/** Text for SVG: the five characters XML gives meaning to, escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] as string);
}

function casesInOrder(summary: Summary[]): string[] {
  return [...new Set(summary.map((s) => s.case))];
}

function barLabel(s: Summary): string {
  const rps = Math.round(s.rps).toLocaleString('en-US');
  if (barKind(s) === 'floor') return `${rps} req/s (floor)`;
  return `${rps} req/s, ${s.vsFloor === undefined ? '–' : `${s.vsFloor.toFixed(2)}×`} floor`;
}

/** The chart: a title line with the machine, a legend, then the cases one under another. */
export function resultsSvg(results: BenchResults): string {
  const cases = casesInOrder(results.summary);
  const parts: string[] = [];
  let y = TOP;
  for (const name of cases) {
    const rows = results.summary.filter((s) => s.case === name);
    const scale = BAR_SPACE / Math.max(...rows.map((s) => s.rps));
    parts.push(`<text x="0" y="${y + 16}" class="case">${escapeXml(name)}</text>`);
    y += GROUP_TITLE;
    for (const s of rows) {
      const kind = barKind(s);
      const length = Math.max(1, Math.round(s.rps * scale));
      parts.push(
        `<g class="bar ${kind}">` +
          `<text x="${LABEL_WIDTH - 8}" y="${y + 13}" text-anchor="end">${escapeXml(s.variant)}</text>` +
          `<rect x="${LABEL_WIDTH}" y="${y}" width="${length}" height="${BAR_HEIGHT}" fill="${FILL[kind]}"/>` +
          `<text x="${LABEL_WIDTH + length + 6}" y="${y + 13}">${escapeXml(barLabel(s))}</text>` +
          '</g>',
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const { machine: m } = results;
  const title = `req/s and × floor per variant, each case on its own scale (${m.cores} × ${m.cpu}, Node ${m.node}, ${results.finishedAt.slice(0, 10)}${results.commit ? `, ${results.commit.slice(0, 7)}` : ''})`;
  const legend = (['floor', 'django', 'variant'] as const)
    .map((kind, i) => `<rect x="${i * 130}" y="24" width="12" height="12" fill="${FILL[kind]}"/><text x="${i * 130 + 18}" y="34">${kind === 'variant' ? 'this service' : kind === 'floor' ? 'floor (reference)' : 'Django (reference)'}</text>`)
    .join('');
  const height = y + 4;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    '<style>text{font:12px sans-serif;fill:#1f2933}.case{font-weight:bold;font-size:13px}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="0" y="14">${escapeXml(title)}</text>`,
    legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
