import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstInstantAtWallTime, formatNaiveDatetime, isTimeZone, parseNaiveDatetime, wallTime } from '../../src/django/timezone.ts';

const CHICAGO = 'America/Chicago';
const at = (wall: string, zone = CHICAGO) => firstInstantAtWallTime(parseNaiveDatetime(wall) as Date, zone).toISOString();

describe('Django\'s naive datetimes in TIME_ZONE', () => {
  it('parses MySQL\'s DATETIME and Django\'s SQLite text, rounding microseconds up to the millisecond', () => {
    assert.equal(parseNaiveDatetime('2026-11-01 12:00:00')?.toISOString(), '2026-11-01T12:00:00.000Z');
    assert.equal(parseNaiveDatetime('2026-11-01 12:00:00.250000')?.toISOString(), '2026-11-01T12:00:00.250Z');
    assert.equal(parseNaiveDatetime('2026-11-01 12:00:00.000001')?.toISOString(), '2026-11-01T12:00:00.001Z');
    for (const bad of ['', '2026-11-01', 'yesterday', '2026-13-45 99:00:00', '2026-11-01 12:00:00+00:00']) assert.equal(parseNaiveDatetime(bad), null, bad);
  });

  it('standard and daylight time, and UTC itself', () => {
    assert.equal(at('2026-01-15 12:00:00'), '2026-01-15T18:00:00.000Z');
    assert.equal(at('2026-07-15 12:00:00'), '2026-07-15T17:00:00.000Z');
    assert.equal(at('2026-07-15 12:00:00', 'UTC'), '2026-07-15T12:00:00.000Z');
    assert.equal(at('2026-07-15 12:00:00', 'Asia/Kolkata'), '2026-07-15T06:30:00.000Z');
  });

  it('a wall time in the spring-forward gap is reached at the jump (02:00 CST becomes 03:00 CDT)', () => {
    assert.equal(at('2026-03-08 02:30:00'), '2026-03-08T08:00:00.000Z');
    assert.equal(at('2026-03-08 01:59:59.999'), '2026-03-08T07:59:59.999Z');
    assert.equal(at('2026-03-08 03:00:00'), '2026-03-08T08:00:00.000Z');
  });

  it('a wall time in the fall-back fold is first reached in daylight time', () => {
    assert.equal(at('2026-11-01 01:30:00'), '2026-11-01T06:30:00.000Z');
    assert.equal(at('2026-11-01 02:30:00'), '2026-11-01T08:30:00.000Z');
  });

  it('wallTime() is what the zone\'s clocks show', () => {
    assert.equal(wallTime(new Date('2026-11-01T06:30:00.123Z'), CHICAGO).toISOString(), '2026-11-01T01:30:00.123Z');
    assert.equal(wallTime(new Date('2026-11-01T07:30:00Z'), CHICAGO).toISOString(), '2026-11-01T01:30:00.000Z');
  });

  it('knows IANA zone names', () => {
    assert.equal(isTimeZone('America/Chicago'), true);
    assert.equal(isTimeZone('UTC'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
  });

  it('writes a naive datetime as Python\'s str() of its wall time: microseconds only when not zero', () => {
    assert.equal(formatNaiveDatetime(new Date('2026-11-01T06:30:00.123Z'), 'UTC'), '2026-11-01 06:30:00.123000');
    assert.equal(formatNaiveDatetime(new Date('2026-11-01T06:30:00Z'), 'UTC'), '2026-11-01 06:30:00');
    assert.equal(formatNaiveDatetime(new Date('2026-11-01T06:30:00.005Z'), CHICAGO), '2026-11-01 01:30:00.005000');
    assert.equal(formatNaiveDatetime(new Date('0999-01-02T03:04:05Z'), 'UTC'), '0999-01-02 03:04:05');
    const text = formatNaiveDatetime(new Date('2026-03-08T08:00:00.500Z'), CHICAGO);
    assert.equal(firstInstantAtWallTime(parseNaiveDatetime(text) as Date, CHICAGO).toISOString(), '2026-03-08T08:00:00.500Z');
  });
});
