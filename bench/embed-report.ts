// Puts a generated report into a Markdown page between two markers, so the page can be regenerated
// without touching the prose around it.
export const REPORT_START = '<!-- bench-report:start (npm run bench:report writes what follows) -->';
export const REPORT_END = '<!-- bench-report:end -->';

/** The document with whatever stood between the markers replaced by the report. */
export function embedReport(document: string, report: string): string {
  const start = document.indexOf(REPORT_START);
  const end = document.indexOf(REPORT_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`the page has no "${REPORT_START}" … "${REPORT_END}" markers, in that order`);
  return `${document.slice(0, start + REPORT_START.length)}\n${report.trim()}\n${document.slice(end)}`;
}
