import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translate } from '../../src/i18n/i18n.ts';
import { isAllowedMove, nextPhase, phasesOf, previousPhase, scheduledPhaseAt, scheduleProblems } from '../../src/features/challenges/phases.ts';

const withAppeals = { appealsEnabled: true };
const withoutAppeals = { appealsEnabled: false };
const at = (day: number) => new Date(Date.UTC(2026, 11, day));
const schedule = { open: at(1), curation: at(10), judging: at(20), appeals: at(25), decided: at(30), closed: at(31) };

describe('the challenge phase machine', () => {
  it('skips appeals unless the challenge has them', () => {
    assert.deepEqual(phasesOf(withoutAppeals), ['draft', 'open', 'curation', 'judging', 'decided', 'closed']);
    assert.equal(nextPhase('judging', withoutAppeals), 'decided');
    assert.equal(nextPhase('judging', withAppeals), 'appeals');
    assert.equal(nextPhase('closed', withAppeals), null);
    assert.equal(previousPhase('decided', withoutAppeals), 'judging');
  });

  it('allows one step forward or back, never back to draft and never out of closed', () => {
    assert.equal(isAllowedMove('draft', 'open', withoutAppeals), true);
    assert.equal(isAllowedMove('open', 'judging', withoutAppeals), false, 'no skipping');
    assert.equal(isAllowedMove('curation', 'open', withoutAppeals), true, 'reopening submissions');
    assert.equal(isAllowedMove('open', 'draft', withoutAppeals), false);
    assert.equal(isAllowedMove('closed', 'decided', withoutAppeals), false);
    assert.equal(isAllowedMove('judging', 'appeals', withoutAppeals), false);
  });

  it('finds the phase the schedule says it should be in', () => {
    assert.equal(scheduledPhaseAt(at(0), schedule, withAppeals), 'draft');
    assert.equal(scheduledPhaseAt(at(1), schedule, withAppeals), 'open');
    assert.equal(scheduledPhaseAt(at(26), schedule, withAppeals), 'appeals');
    assert.equal(scheduledPhaseAt(at(26), schedule, withoutAppeals), 'judging', 'an appeals date is ignored without appeals');
    assert.equal(scheduledPhaseAt(at(40), schedule, withAppeals), 'closed');
  });

  it('reports missing and out-of-order starts by phase', () => {
    assert.deepEqual(scheduleProblems(schedule, withAppeals), {});
    const problems = scheduleProblems({ ...schedule, judging: at(5), decided: null }, withAppeals);
    assert.match(translate('en', problems.judging ?? ''), /must start after “Curation”/);
    assert.match(translate('en', problems.decided ?? ''), /Set when/);
    assert.equal(problems.appeals, undefined);
  });
});
