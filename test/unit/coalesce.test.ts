import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCoalescer } from '../../src/shared/coalesce.ts';

/** A write that records its batches and finishes when the test says so. */
function recordingWrite() {
  const batches: Array<{ key: string; items: number[] }> = [];
  const finish: Array<() => void> = [];
  const write = (key: string, items: number[]) => {
    batches.push({ key, items });
    return new Promise<number[]>((resolve) => finish.push(() => resolve(items.map((item) => item * 10))));
  };
  return { batches, finish, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescing writes to one key', () => {
  it('writes an item alone at once when nothing is in flight, and answers with its result', async () => {
    const { batches, finish, write } = recordingWrite();
    const add = createCoalescer(write);
    const written = add('a', 1);
    await tick();
    assert.deepEqual(batches, [{ key: 'a', items: [1] }]);
    finish[0]!();
    assert.equal(await written, 10);
  });

  it('sends the items added while a write is in flight together in the next write, each caller waiting for its own', async () => {
    const { batches, finish, write } = recordingWrite();
    const add = createCoalescer(write);
    const first = add('a', 1);
    await tick();
    const later = [add('a', 2), add('a', 3), add('a', 4)];
    let laterDone = false;
    void Promise.all(later).then(() => (laterDone = true));
    finish[0]!();
    assert.equal(await first, 10);
    await tick();
    assert.equal(laterDone, false, 'the later items are not written yet');
    assert.deepEqual(batches[1], { key: 'a', items: [2, 3, 4] });
    finish[1]!();
    assert.deepEqual(await Promise.all(later), [20, 30, 40]);
    assert.equal(batches.length, 2);
  });

  it('keeps keys apart: another key is written at once beside one in flight', async () => {
    const { batches, write } = recordingWrite();
    const add = createCoalescer(write);
    void add('a', 1);
    void add('b', 2);
    await tick();
    assert.deepEqual(batches, [
      { key: 'a', items: [1] },
      { key: 'b', items: [2] },
    ]);
  });

  it('fails every caller of a failed write, and writes the next batch all the same', async () => {
    let calls = 0;
    const add = createCoalescer(async (_key: string, items: number[]) => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
      return items;
    });
    const failed = [add('a', 1), add('a', 2)];
    await assert.rejects(failed[0]!, /database away/);
    await assert.rejects(failed[1]!, /database away/);
    assert.equal(await add('a', 3), 3);
  });
});
