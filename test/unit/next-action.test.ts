import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextActionOf } from '../../src/features/challenges/next-action.ts';
import { PHASES } from '../../src/features/challenges/phases.ts';

describe("staff's next step on a challenge", () => {
  it('asks for the winners in a decided challenge until they are announced, then sends them to the backlog', () => {
    const decided = { id: 'c1', phase: 'decided' as const };
    assert.deepEqual(nextActionOf(decided, { winnersAnnounced: false }), { label: { key: 'challenge.nextAction.decided' }, href: '/challenges/c1/judging/winners' });
    assert.deepEqual(nextActionOf(decided, { winnersAnnounced: true }), { label: { key: 'challenge.nextAction.promoteWinners' }, href: '/challenges/c1/review' });
  });

  it('names one step for every phase, whether or not winners were announced before it', () => {
    for (const phase of PHASES.filter((phase) => phase !== 'decided')) {
      const step = nextActionOf({ id: 'c1', phase }, { winnersAnnounced: true });
      assert.deepEqual(step, nextActionOf({ id: 'c1', phase }, { winnersAnnounced: false }));
      assert.equal(step.label.key, `challenge.nextAction.${phase}`);
      assert.match(step.href, /^\/challenges\/c1\//);
    }
  });
});
