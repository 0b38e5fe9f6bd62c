import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REASONS } from 'django-session-bridge/django';
import { categoryOf, REASON_GUIDE } from '../../src/diagnostics/reason-guide.ts';

describe('REASON_GUIDE', () => {
  it('explains every reason, and nothing else', () => {
    assert.deepEqual(Object.keys(REASON_GUIDE).sort(), [...REASONS].sort());
    for (const reason of REASONS) assert.ok(REASON_GUIDE[reason].explanation.length > 20, reason);
  });

  it('files exactly the logged_in* reasons as logged in', () => {
    for (const reason of REASONS) assert.equal(categoryOf(reason) === 'logged_in', reason.startsWith('logged_in'), reason);
  });
});
