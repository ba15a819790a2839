import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createKeyedCache } from '../../src/shared/keyed-cache.ts';

const TTL = 2_000;

/** A load whose calls the test sees and finishes (or fails) when it says so; each answers `<key>@<call number>`. */
function controlledLoad() {
  const calls: Array<{ key: string; finish: () => void; fail: () => void }> = [];
  const load = (key: string) =>
    new Promise<string>((resolve, reject) => {
      const value = `${key}@${calls.length + 1}`;
      calls.push({ key, finish: () => resolve(value), fail: () => reject(new Error('the database is away')) });
    });
  return { calls, load };
}

/** A cache whose key `a` was loaded (`a@1`) half its time ago. */
async function halfWayThrough() {
  const { calls, load } = controlledLoad();
  const cache = createKeyedCache(load, { ttlMs: TTL, maxKeys: 10 });
  const first = cache.get('a');
  calls[0]!.finish();
  await first;
  mock.timers.tick(TTL / 2);
  return { cache, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a keyed cache', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('gives concurrent readers of a key one load', async () => {
    const { calls, load } = controlledLoad();
    const cache = createKeyedCache(load, { ttlMs: TTL, maxKeys: 10 });
    const readers = [cache.get('a'), cache.get('a'), cache.get('a')];
    assert.equal(calls.length, 1);
    calls[0]!.finish();
    assert.deepEqual(await Promise.all(readers), ['a@1', 'a@1', 'a@1']);
  });

  it('serves a value past half its time at once and reloads it behind, once, for the readers after the reload', async () => {
    const { cache, calls } = await halfWayThrough();
    assert.equal(await cache.get('a'), 'a@1', 'served without waiting for the reload');
    assert.equal(await cache.get('a'), 'a@1');
    assert.equal(calls.length, 2, 'one reload for many readers');
    calls[1]!.finish();
    await tick();
    assert.equal(await cache.get('a'), 'a@2');
    assert.equal(calls.length, 2);
  });

  it('never serves a value older than its time: past it, readers wait for a new load', async () => {
    const { cache, calls } = await halfWayThrough();
    void cache.get('a');
    // The reload has not answered when the first value's time is up.
    mock.timers.tick(TTL / 2);
    const late = cache.get('a');
    assert.equal(calls.length, 3, 'a reader after the time does not get the old value');
    calls[2]!.finish();
    assert.equal(await late, 'a@3');
  });

  it('keeps no reload that was under way when its key was forgotten (it may have read the state before the change)', async () => {
    const { cache, calls } = await halfWayThrough();
    await cache.get('a');
    cache.forget('a');
    calls[1]!.finish();
    await tick();
    const after = cache.get('a');
    assert.equal(calls.length, 3, 'the forgotten key is loaded afresh');
    calls[2]!.finish();
    assert.equal(await after, 'a@3');
  });

  it('serves what this process kept for a key without a load, for its full time, over a reload under way', async () => {
    const { cache, calls } = await halfWayThrough();
    await cache.get('a');
    cache.keep('a', 'written');
    calls[1]!.finish();
    await tick();
    assert.equal(await cache.get('a'), 'written', 'the older reload does not replace what was written');
    assert.equal(calls.length, 2, 'no load for it');
    mock.timers.tick(TTL / 2);
    assert.equal(await cache.get('a'), 'written', 'half its time on, still served');
    assert.equal(calls.length, 3, 'and reloaded behind, as any value');
  });

  it('keeps serving the value when its reload fails, and lets the next reader try again', async () => {
    const { cache, calls } = await halfWayThrough();
    await cache.get('a');
    calls[1]!.fail();
    await tick();
    assert.equal(await cache.get('a'), 'a@1');
    assert.equal(calls.length, 3, 'tried again');
  });
});
