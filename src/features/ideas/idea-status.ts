import type { IdeaStatus } from './idea.model.ts';
import { phaseIndex, type Phase } from '../challenges/phases.ts';

export const STATUS_LABELS: Record<IdeaStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  approved: 'Approved',
  'changes-requested': 'Changes requested',
  rejected: 'Not accepted',
  merged: 'Merged into another idea',
  shortlisted: 'Shortlisted',
  'not-shortlisted': 'Not shortlisted',
  scored: 'Scored by the judges',
  winner: 'Winner',
  'not-awarded': 'Not among the winners',
  promoted: 'In the backlog',
  shipped: 'Shipped',
  declined: 'Declined',
};

/** What happens next, in the author's words: the loop back to the contributor starts here. */
export const NEXT_STEPS: Record<IdeaStatus, string> = {
  draft: 'Only you can see it. Submit it while the challenge is open.',
  submitted: 'The challenge’s copilots will review it. You can still edit it while the challenge is open.',
  approved: 'It is in the running: the shortlist is built during curation.',
  'changes-requested': 'The copilots asked for changes: edit it and submit it again.',
  rejected: 'It was not accepted for this challenge; the copilots’ reason is below.',
  merged: 'It was combined with a similar idea; you are credited there.',
  shortlisted: 'The judges will score it during judging.',
  'not-shortlisted': 'It did not make the shortlist for judging; the copilots’ note, if any, is below. Thank you for taking part.',
  scored: 'The judges have scored it; results come when winners are announced.',
  winner: 'It won! The team will decide how to take it forward.',
  'not-awarded': 'The judges scored it, but it was not among the winners. Read the judges’ feedback on the challenge’s results.',
  promoted: 'It is in the team’s backlog; you will hear as it moves.',
  shipped: 'It shipped. Thank you for your idea!',
  declined: 'The team decided not to take it forward; their note is below.',
};

/** Steps that wait on a phase of the challenge; once that phase has passed, the wait is over. */
const PAST_SCREENING: ReadonlySet<IdeaStatus> = new Set(['submitted', 'approved', 'changes-requested']);
const PAST_JUDGING: ReadonlySet<IdeaStatus> = new Set(['shortlisted', 'scored']);

/**
 * What happens next, true to where the challenge is: an idea still waiting on a phase that has
 * passed is told it ended there, never promised a step that will not come.
 */
export function nextStepOf(status: IdeaStatus, phase: Phase): string {
  const after = (from: Phase) => phaseIndex(phase) >= phaseIndex(from);
  if (PAST_SCREENING.has(status) && after('judging')) return 'The challenge moved on to judging without it: it did not make the shortlist. Thank you for taking part.';
  if (PAST_JUDGING.has(status) && after('decided')) return 'The challenge’s results are out and it was not among the winners. Read the judges’ feedback on the challenge’s results.';
  return NEXT_STEPS[status];
}

/** How the Outcomes page groups a challenge's ideas: every submitted idea falls in exactly one group. */
const OUTCOME_GROUPS: ReadonlyArray<{ label: string; statuses: readonly IdeaStatus[] }> = [
  { label: 'Shipped', statuses: ['shipped'] },
  { label: 'In the team’s backlog', statuses: ['promoted'] },
  { label: 'Winners', statuses: ['winner'] },
  { label: 'Declined by the team', statuses: ['declined'] },
  { label: 'Not among the winners', statuses: ['not-awarded'] },
  { label: 'Not shortlisted', statuses: ['not-shortlisted'] },
  { label: 'Not accepted', statuses: ['rejected'] },
  { label: 'Merged into another idea', statuses: ['merged'] },
  { label: 'Still on their way', statuses: ['submitted', 'approved', 'changes-requested', 'shortlisted', 'scored'] },
];

/**
 * The submitted ideas counted by outcome, groups with none left out. Once a phase they waited on
 * has passed, ideas still waiting are counted by what that means, never as "on their way".
 */
export function outcomeCounts(statuses: readonly IdeaStatus[], phase: Phase): Array<{ label: string; count: number }> {
  const after = (from: Phase) => phaseIndex(phase) >= phaseIndex(from);
  const settled = statuses.map((status): IdeaStatus => (PAST_SCREENING.has(status) && after('judging') ? 'not-shortlisted' : PAST_JUDGING.has(status) && after('decided') ? 'not-awarded' : status));
  return OUTCOME_GROUPS.map((group) => ({ label: group.label, count: settled.filter((status) => group.statuses.includes(status)).length })).filter((group) => group.count > 0);
}
