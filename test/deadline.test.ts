import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DeadlineExceededError, withinDeadline } from 'django-session-bridge';

describe('withinDeadline', () => {
  it('passes on what settles in time, value or error', async () => {
    assert.equal(await withinDeadline(Promise.resolve(42), 50), 42);
    await assert.rejects(withinDeadline(Promise.reject(new Error('refused')), 50), /refused/);
  });

  it('rejects once the deadline passes, without waiting for the work', async () => {
    const started = performance.now();
    await assert.rejects(withinDeadline(sleep(5000), 100), DeadlineExceededError);
    const ms = performance.now() - started;
    assert.ok(ms >= 95 && ms < 1000, `${ms} ms`);
  });

  it('work that fails after its deadline is not an unhandled rejection', async () => {
    const late = sleep(50).then(() => {
      throw new Error('too late');
    });
    await assert.rejects(withinDeadline(late, 10), DeadlineExceededError);
    await sleep(100);
  });

  it('leaves no timer behind to keep the process alive', async () => {
    const active = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = active();
    await withinDeadline(Promise.resolve(1), 60_000);
    assert.equal(active(), before);
  });
});
