import { REASONS } from 'django-session-bridge/django';
import type { Explanation, UserFacts } from './explain.ts';
import { categoryOf, type ReasonCategory } from './reason-guide.ts';
import type { SessionStatsReport } from './session-stats.ts';

export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first < 0) return '0s';
  return parts.slice(first, first + 2).filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`).join(' ');
}

// Beyond this the two clocks disagree enough to matter for sessions close to expiry.
const SKEW_NOTE_MS = 2000;

/** A hint for session:inspect when this machine's clock is `skewMs` ahead of (or behind) the database's. */
export function clockSkewNote(skewMs: number): string | null {
  if (Math.abs(skewMs) < SKEW_NOTE_MS) return null;
  const direction = skewMs > 0 ? 'ahead of' : 'behind';
  return `This machine's clock is ${formatDuration(skewMs)} ${direction} the database server's: expiry is judged by the clock of whoever decides (this service, Django), so keep them in sync.`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function share(part: number, whole: number): string {
  return whole === 0 ? '' : ` (${((100 * part) / whole).toFixed(1)}%)`;
}

function describeUser(user: UserFacts): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  const flags = [user.isActive ? 'active' : 'INACTIVE', user.isStaff && 'staff', user.isSuperuser && 'superuser'].filter(Boolean);
  return `#${user.id} ${user.username}${name ? ` (${name})` : ''}${user.email ? ` <${user.email}>` : ''}, ${flags.join(', ')}`;
}

function indent(text: string, by: string): string {
  return text.split('\n').join(`\n${by}`);
}

const LABEL = 12;

/** One labelled field of session:inspect's output, continuation lines aligned under the value. */
export function line(label: string, value: string): string {
  return `${label.padEnd(LABEL)}${indent(value, ' '.repeat(LABEL))}`;
}

function rowLine(explanation: Explanation, now: Date): string {
  const { row, engine, verdict } = explanation;
  if (engine === 'signed_cookies') return 'none: the signed_cookies engine keeps the session in the cookie';
  if (explanation.cacheEntry !== null) return 'none read: the session came from the cache (its TTL is its expiry)';
  if (row !== null) {
    const left = row.expireDate.getTime() - now.getTime();
    const when = `${row.expireDate.toISOString()} (${row.expired ? `${formatDuration(left)} ago` : `in ${formatDuration(left)}`})`;
    return row.expired ? `EXPIRED ${when}` : `expires ${when}`;
  }
  if (verdict.reason === 'no_cookie') return 'not looked up: no session cookie';
  if (verdict.reason === 'malformed_key') return 'not looked up: not a Django session key';
  return engine === 'cache' ? 'none in the cache at that key (never stored, logged out, or past its TTL)' : 'none in django_session';
}

/** session:inspect's human-readable output. */
export function formatExplanation(explanation: Explanation, now: Date, clockNote: string | null = null): string {
  const { verdict } = explanation;
  const lines = [
    line('key hash', explanation.keyHash === null ? '-' : `${explanation.keyHash} (what the service logs for this key)`),
    line('engine', explanation.engine),
    line('row', rowLine(explanation, now)),
  ];
  if (explanation.signature !== null) lines.push(line('signed with', explanation.signature === 'none' ? 'no configured key' : explanation.signature));
  if (explanation.format !== null) lines.push(line('format', explanation.format));
  if (explanation.cacheEntry !== null) lines.push(line('cache', explanation.cacheEntry.detail === null ? 'found' : `found: ${explanation.cacheEntry.detail}`));
  if (explanation.decodeError !== null) {
    const detail = explanation.decodeDetail === undefined ? '' : ` (${explanation.decodeDetail})`;
    lines.push(line('decode', `failed: ${explanation.decodeError}${detail}`));
  }
  if (explanation.session !== null) lines.push(line('session', JSON.stringify(explanation.session, null, 2)));
  if (explanation.user !== null) lines.push(line('user', describeUser(explanation.user)));
  if (explanation.authHash !== null) lines.push(line('auth hash', `matches ${explanation.authHash === 'none' ? 'no configured key' : explanation.authHash}`));
  lines.push(line('verdict', `${verdict.loggedIn ? 'LOGGED IN' : 'NOT LOGGED IN'} (${verdict.reason})\n${verdict.explanation}`));
  const hints = clockNote === null ? explanation.hints : [...explanation.hints, clockNote];
  if (hints.length > 0) lines.push(line('hints', hints.map((hint) => `- ${hint}`).join('\n')));
  return lines.join('\n') + '\n';
}

const CATEGORY_LABELS: Record<ReasonCategory, string> = {
  logged_in: 'logged in',
  anonymous: 'anonymous (decoded, nobody logged in)',
  undecodable: 'undecodable',
  no_session: 'never looked up (malformed key)',
};

/** session:stats' human-readable output. */
export function formatStats(report: SessionStatsReport, expired: number | null, batches: { size: number; count: number }): string {
  const lines = [
    `Unexpired sessions at ${report.now.toISOString()}: ${count(report.sessions)} (read in ${count(batches.count)} batches of up to ${count(batches.size)})`,
    expired === null ? 'Expired sessions: none kept (the cache drops each entry at its TTL)' : `Expired rows not yet removed by clearsessions: ${count(expired)}`,
    '',
  ];
  for (const category of Object.keys(CATEGORY_LABELS) as ReasonCategory[]) {
    const total = report.categories[category];
    if (total === 0 && category === 'no_session') continue;
    lines.push(`${CATEGORY_LABELS[category].padEnd(40)}${count(total).padStart(12)}${share(total, report.sessions)}`);
    for (const reason of REASONS) {
      const value = report.reasons[reason];
      if (categoryOf(reason) === category && value > 0) lines.push(`  ${reason.padEnd(38)}${count(value).padStart(12)}`);
    }
  }
  lines.push('', 'Key rotation');
  if (report.fallbacks.length === 0 && report.oldKeys.length === 0) {
    lines.push('  no DJANGO_SECRET_KEY_FALLBACKS and no DJANGO_OLD_SECRET_KEYS: nothing to check');
  }
  for (const { position, wouldLogOut } of report.fallbacks) {
    lines.push(`  fallback ${position}: removing it from the fallbacks would log out ${count(wouldLogOut)} session(s)`);
  }
  for (const { position, wouldLogIn } of report.oldKeys) {
    lines.push(`  DJANGO_OLD_SECRET_KEYS key ${position}: adding it back to the fallbacks would log in ${count(wouldLogIn)} session(s)`);
  }
  return lines.join('\n') + '\n';
}
