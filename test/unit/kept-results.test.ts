import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keptResults } from '../../src/shared/kept-results.ts';

describe('kept results', () => {
  it('makes a result once per key, and starts again once it holds its most', () => {
    const made: string[] = [];
    const kept = keptResults<string, string>(2);
    const shout = (key: string) => {
      made.push(key);
      return key.toUpperCase();
    };
    assert.equal(kept('a', shout), 'A');
    assert.equal(kept('a', shout), 'A');
    assert.equal(kept('b', shout), 'B');
    assert.deepEqual(made, ['a', 'b'], 'each made once');
    assert.equal(kept('c', shout), 'C', 'a third: the two kept go');
    assert.equal(kept('a', shout), 'A');
    assert.deepEqual(made, ['a', 'b', 'c', 'a']);
    assert.equal(kept('c', shout), 'C');
    assert.deepEqual(made, ['a', 'b', 'c', 'a'], 'c kept since');
  });
});
