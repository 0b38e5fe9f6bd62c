// Django's naive datetimes. With USE_TZ = False, Django writes expire_date as the wall-clock time of
// TIME_ZONE (datetime.now() under TZ=TIME_ZONE) and expires a session when `expire_date > datetime.now()`
// stops being true: a comparison of wall-clock times. With USE_TZ = True it writes UTC. On PostgreSQL the
// column is timestamptz and needs none of this; MySQL's DATETIME and SQLite's text keep the naive value.
// Offsets come from Intl (the ICU time-zone database Node ships), never from a hand-written table.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Whether Intl knows the zone (Django's TIME_ZONE is an IANA name such as "America/Chicago"). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time the zone's clocks show at an instant, as a Date whose UTC fields carry it (the form the
 * drivers give a naive column in: "2026-11-01 01:30:00" reads as 2026-11-01T01:30:00Z).
 */
export function wallTime(instant: Date, zone: string): Date {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const seconds = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return new Date(seconds + (instant.getTime() % 1000 + 1000) % 1000);
}

const HOUR = 3_600_000;

/**
 * The first instant at which the zone's clocks show `wall` or later: the instant Django's
 * `expire_date > datetime.now()` turns false for a naive expire_date. In a spring-forward gap (a wall time
 * that never shows) that is the moment of the jump. In a fall-back fold the wall time shows twice: this is
 * the first time; Django itself, comparing wall clocks, sees such a session come back for the repeated part
 * of the hour (see "Time zones" in docs/databases.md).
 */
export function firstInstantAtWallTime(wall: Date, zone: string): Date {
  const target = wall.getTime();
  // Offsets in force around it: real zones change by at most a few hours within a day.
  const offsets = new Set([-1, 1].map((days) => wallTime(new Date(target + days * 24 * HOUR), zone).getTime() - (target + days * 24 * HOUR)));
  const candidates = [...offsets].map((offset) => target - offset).filter((t) => wallTime(new Date(t), zone).getTime() === target);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // A gap: the wall clock jumps over `wall`. Find the jump between the instants either side of it.
  let before = Math.min(...[...offsets].map((offset) => target - offset));
  let after = Math.max(...[...offsets].map((offset) => target - offset));
  if (wallTime(new Date(before), zone).getTime() >= target) [before, after] = [after, before];
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallTime(new Date(middle), zone).getTime() >= target) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/**
 * The naive text Django's MySQL and SQLite backends write for an aware datetime: str() of its wall time in
 * `zone`, "YYYY-MM-DD HH:MM:SS" with ".ffffff" only when the microseconds are not zero, as Python prints it.
 */
export function formatNaiveDatetime(instant: Date, zone: string): string {
  const wall = wallTime(instant, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  const text = `${String(wall.getUTCFullYear()).padStart(4, '0')}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}:${two(wall.getUTCSeconds())}`;
  const ms = wall.getUTCMilliseconds();
  return ms === 0 ? text : `${text}.${String(ms * 1000).padStart(6, '0')}`;
}

/**
 * "YYYY-MM-DD HH:MM:SS[.ffffff]" (MySQL's DATETIME text, Django's SQLite text) as a Date of its UTC fields;
 * null if it is not one. Microseconds round up to the millisecond: against a clock in whole milliseconds,
 * "expire_date > now" then holds exactly when it holds for the microseconds.
 */
export function parseNaiveDatetime(text: string): Date | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second) + Math.ceil(Number((match[7] ?? '').padEnd(6, '0')) / 1000));
  // Date.UTC rolls 2026-13-45 over into 2027; Django never writes such a value.
  const exact = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const fields = [exact.getUTCFullYear(), exact.getUTCMonth() + 1, exact.getUTCDate(), exact.getUTCHours(), exact.getUTCMinutes(), exact.getUTCSeconds()];
  return fields.every((field, i) => field === [year, month, day, hour, minute, second][i]) ? date : null;
}
