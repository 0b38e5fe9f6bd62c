import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PASSWORD_CHECK_SLOTS, taskSlots } from '../../src/writes/task-slots.ts';

describe('taskSlots', () => {
  it('runs at most its number of tasks at once, the others in arrival order, and frees a slot on failure', async () => {
    const slots = taskSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => slots(async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await sleep(5);
      running -= 1;
      if (i === 0) throw new Error('boom');
      return i;
    });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(task));
    assert.equal(most, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    assert.equal(results[0]?.status, 'rejected');
    assert.deepEqual(results.slice(1).map((result) => (result as PromiseFulfilledResult<number>).value), [1, 2, 3, 4, 5]);
    assert.equal(await slots(async () => 'free again'), 'free again');
  });

  it('leaves a core to the pages: one fewer password check at once than cores, at least one', () => {
    assert.ok(PASSWORD_CHECK_SLOTS >= 1);
  });
});
