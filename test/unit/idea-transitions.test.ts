import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDEA_STATUSES, type IdeaStatus } from '../../src/features/ideas/idea.model.ts';
import type { Phase } from '../../src/features/challenges/phases.ts';
import { nextStepOf, outcomeCounts } from '../../src/features/ideas/idea-status.ts';
import { translate } from '../../src/i18n/i18n.ts';
import { FINAL_STATUSES, IDEA_TRANSITIONS, mayMove, type IdeaIntent } from '../../src/features/ideas/idea-transitions.ts';

const intents = Object.keys(IDEA_TRANSITIONS) as IdeaIntent[];
/** Every status reachable from `start` by any sequence of moves. */
function reachable(start: IdeaStatus): Set<IdeaStatus> {
  const seen = new Set<IdeaStatus>([start]);
  for (let grew = true; grew;) {
    grew = false;
    for (const intent of intents) {
      const { to } = IDEA_TRANSITIONS[intent];
      if (!to || seen.has(to) || ![...seen].some((status) => mayMove(intent, status))) continue;
      seen.add(to);
      grew = true;
    }
  }
  return seen;
}

describe("the idea's path", () => {
  it('decides only on submitted ideas, once', () => {
    for (const intent of ['approve', 'requestChanges', 'reject'] as const) {
      assert.equal(mayMove(intent, 'submitted'), true);
      for (const status of IDEA_STATUSES.filter((s) => s !== 'submitted')) assert.equal(mayMove(intent, status), false, `${intent} from ${status}`);
    }
  });

  it('shortlists approved ideas, and gives the others their outcome when the list freezes', () => {
    assert.equal(mayMove('shortlist', 'approved'), true);
    assert.equal(mayMove('shortlist', 'submitted'), false, 'an unscreened idea is never shortlisted');
    assert.equal(mayMove('notShortlisted', 'approved'), true);
    assert.equal(mayMove('notShortlisted', 'shortlisted'), false);
    assert.equal(mayMove('leaveFinalShortlist', 'shortlisted'), true);
    assert.equal(mayMove('leaveFinalShortlist', 'scored'), true, 'an idea the judges scored, taken off, has an outcome too');
    assert.equal(mayMove('leaveFinalShortlist', 'winner'), false);
    assert.equal(mayMove('shortlist', 'not-shortlisted'), true, 'staff may still add it to a frozen list, with a reason');
  });

  it('crowns only what the judges saw, and gives the rest "not among the winners"', () => {
    assert.equal(mayMove('crown', 'scored'), true);
    assert.equal(mayMove('crown', 'approved'), false);
    assert.equal(mayMove('notAwarded', 'scored'), true);
    assert.equal(mayMove('notAwarded', 'winner'), false);
    assert.equal(IDEA_TRANSITIONS.uncrown.to, 'not-awarded');
  });

  it('never leaves shipped, and never merges a draft or an idea already merged', () => {
    for (const intent of intents) assert.equal(mayMove(intent, 'shipped'), false, `${intent} from shipped`);
    assert.equal(mayMove('merge', 'draft'), false);
    assert.equal(mayMove('merge', 'merged'), false);
  });

  it('leads every submitted idea to a final outcome', () => {
    const finals = [...reachable('submitted')].filter((status) => FINAL_STATUSES.includes(status));
    assert.deepEqual(new Set(finals), new Set(FINAL_STATUSES), 'every final outcome is reachable from a submission');
    for (const status of IDEA_STATUSES.filter((s) => s !== 'draft')) {
      const ends = [...reachable(status)].some((next) => FINAL_STATUSES.includes(next));
      assert.equal(ends, true, `${status} can still reach an outcome`);
    }
  });

  it('counts outcomes and states next steps true to the phase: nothing is "on its way" once the phase it waited on has passed', () => {
    const statuses: IdeaStatus[] = ['submitted', 'approved', 'shortlisted', 'winner', 'shipped'];
    const counts = (phase: Phase) => outcomeCounts(statuses, phase).map(({ label, count }) => ({ label: translate('en', label), count }));
    assert.deepEqual(counts('curation'), [
      { label: 'Shipped', count: 1 },
      { label: 'Winners', count: 1 },
      { label: 'Still on their way', count: 3 },
    ]);
    assert.deepEqual(counts('closed'), [
      { label: 'Shipped', count: 1 },
      { label: 'Winners', count: 1 },
      { label: 'Not among the winners', count: 1 },
      { label: 'Not shortlisted', count: 2 },
    ]);
    assert.match(translate('en', nextStepOf('approved', 'curation')), /in the running/);
    assert.match(translate('en', nextStepOf('approved', 'closed')), /did not make the shortlist/);
    assert.match(translate('en', nextStepOf('scored', 'decided')), /not among the winners/);
  });
});
