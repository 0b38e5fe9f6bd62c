// Every server must give the right page for every case before anything is timed: a fast wrong answer (an
// error page, everyone "not logged in") would otherwise be measured as a win.
import type { CaseName } from './database.ts';
import { get } from './processes.ts';

/** What one server answered for one case, as the result file records it. */
export interface Answer {
  variant: string;
  case: CaseName;
  status: number;
  /** It was a 200 with the page Django shows for that case. */
  correct: boolean;
}

/** The page's answer to the first of a case's session cookies; throws, naming both, unless it is right. */
export async function checkAnswer(variant: string, url: string, benchCase: CaseName, cookies: readonly string[]): Promise<Answer> {
  const headers: Record<string, string> = cookies[0] ? { Cookie: `sessionid=${cookies[0]}` } : {};
  const res = await get(url, headers);
  const expected = benchCase === 'logged in' ? /Logged In![\s\S]*bench0/ : /Not Logged In/;
  if (res.status !== 200 || !expected.test(res.body)) {
    throw new Error(`${variant}, ${benchCase}: expected 200 matching ${expected}, got ${res.status}: ${res.body.slice(0, 200)}`);
  }
  return { variant, case: benchCase, status: res.status, correct: true };
}
