// `npm run bench:report -- <results.json> [--svg <file>] [--update <page.md>]`: a results file of
// `npm run bench` as a Markdown table (printed, or written between the page's markers) and an SVG chart.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { embedReport } from '../bench/embed-report.ts';
import { resultsMarkdown } from '../bench/markdown-table.ts';
import { parseResults } from '../bench/results-file.ts';
import { resultsSvg } from '../bench/svg-chart.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { svg: { type: 'string' }, update: { type: 'string' } } });
const [file] = positionals;
if (file === undefined || positionals.length > 1) {
  console.error('usage: npm run bench:report -- <bench/results/….json> [--svg <chart.svg>] [--update <page.md>]');
  process.exit(2);
}
const results = parseResults(readFileSync(file, 'utf8'));
let report = `${resultsMarkdown(results)}\n\nFrom \`${file}\`.`;
if (values.svg !== undefined) {
  writeFileSync(values.svg, resultsSvg(results));
  const from = values.update === undefined ? '.' : dirname(values.update);
  report = `![req/s and × floor per variant and case](${relative(from, values.svg)})\n\n${report}`;
}
if (values.update === undefined) console.log(report);
else writeFileSync(values.update, embedReport(readFileSync(values.update, 'utf8'), report));
