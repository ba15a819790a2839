import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryOf, storedEntry, type ActivityEntry } from '../../src/features/insights/individual-activity.model.ts';

describe('activity entries as a bucket stores them', () => {
  const at = new Date('2026-03-04T05:06:07.089Z');
  const entries: ActivityEntry[] = [
    { type: 'vote', ref: 'idea1:user1', ideaId: 'idea1', challengeId: 'challenge1', at },
    { type: 'comment', ref: 'comment|with "quotes"', ideaId: 'idea2', challengeId: 'challenge1', at },
    { type: 'comparison', ref: 'cmp1', ideaId: 'idea3', otherIdeaId: 'idea4', challengeId: 'challenge2', winnerId: 'idea4', at },
    { type: 'comparison', ref: 'cmp2', ideaId: 'idea3', otherIdeaId: 'idea5', challengeId: 'challenge2', winnerId: null, at },
  ];

  it('stores each entry as one string and reads it back the same, a skipped comparison included', () => {
    for (const entry of entries) {
      const stored = storedEntry(entry);
      assert.equal(typeof stored, 'string');
      assert.deepEqual(entryOf(stored), entry);
    }
  });

  it('reads an entry stored as an object by an earlier version as it was', () => {
    const older = { type: 'vote', ref: 'idea1:user1', ideaId: 'idea1', challengeId: 'challenge1', at };
    assert.deepEqual(entryOf(older), entries[0]);
  });
});
