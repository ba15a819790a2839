import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextActionOf } from '../../src/features/challenges/next-action.ts';
import { PHASES, type Phase } from '../../src/features/challenges/phases.ts';

const day = (n: number) => new Date(Date.UTC(2027, 0, n));
const SCHEDULE = { open: day(1), curation: day(10), judging: day(20), decided: day(30), closed: day(40) };
const challenge = (phase: Phase, schedule: Partial<typeof SCHEDULE> = SCHEDULE) => ({ id: 'c1', phase, schedule, appealsEnabled: false });

describe("staff's next step on a challenge", () => {
  it('asks for the winners in a decided challenge until they are announced, then sends them to the backlog', () => {
    const decided = challenge('decided');
    assert.deepEqual(nextActionOf(decided, { winnersAnnounced: false }), { label: { key: 'challenge.nextAction.decided' }, href: '/challenges/c1/judging/winners' });
    assert.deepEqual(nextActionOf(decided, { winnersAnnounced: true }), { label: { key: 'challenge.nextAction.promoteWinners' }, href: '/challenges/c1/review' });
  });

  it('names one step for every phase, whether or not winners were announced before it', () => {
    for (const phase of PHASES.filter((phase) => phase !== 'decided')) {
      const step = nextActionOf(challenge(phase), { winnersAnnounced: true });
      assert.deepEqual(step, nextActionOf(challenge(phase), { winnersAnnounced: false }));
      assert.equal(step.label.key, `challenge.nextAction.${phase}`);
      assert.match(step.href, /^\/challenges\/c1\//);
    }
  });

  it('sends a draft without its whole schedule to the schedule, which it needs to open', () => {
    const { judging: _unset, ...partial } = SCHEDULE;
    for (const schedule of [{}, partial]) {
      assert.deepEqual(nextActionOf(challenge('draft', schedule), { winnersAnnounced: false }), { label: { key: 'challenge.nextAction.schedule' }, href: '/challenges/c1/edit#schedule' });
    }
    const withAppeals = { ...challenge('draft'), appealsEnabled: true };
    assert.equal(nextActionOf(withAppeals, { winnersAnnounced: false }).label.key, 'challenge.nextAction.schedule', 'appeals need their own start');
    assert.equal(nextActionOf(challenge('draft'), { winnersAnnounced: false }).label.key, 'challenge.nextAction.draft');
  });
});
