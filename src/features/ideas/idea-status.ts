import type { IdeaStatus } from './idea.model.ts';

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
