import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUserId } from '../../src/django/user-id.ts';

describe('parseUserId: AutoField.to_python, i.e. Python int()', () => {
  it('reads what Python reads', () => {
    const cases: [unknown, bigint][] = [
      ['7', 7n], [' 7 ', 7n], ['\t7\n', 7n], ['\u00a07', 7n], ['+7', 7n], ['007', 7n], ['1_0', 10n], ['-3', -3n],
      ['\u0667', 7n], ['\uff17', 7n], ['\u{1d7d5}', 7n], [7, 7n], [1.9, 1n], [true, 1n], [false, 0n],
      ['99999999999999999999', 99999999999999999999n],
    ];
    for (const [value, expected] of cases) assert.equal(parseUserId(value), expected, JSON.stringify(value));
  });

  it('returns null where Django raises ValidationError', () => {
    for (const value of ['abc', '', '1.0', '0x1', '1__0', '_1', '1_', '\ufeff7', [1], {}, Number.NaN]) {
      assert.equal(parseUserId(value), null, JSON.stringify(value));
    }
  });

  it("passes JSON null on, as Django does (it finds no user)", () => {
    assert.equal(parseUserId(null), 'none');
  });
});
