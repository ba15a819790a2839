import type { IdeaStatus } from './idea.model.ts';

/**
 * The idea's path as a closed table: each intent names the statuses it may start from and the
 * status it leads to. Only the writes in idea-lifecycle.ts move an idea, and each is conditional
 * on one of these `from` statuses, so two moves at once never both happen and no feature can put
 * an idea where its path does not go. `to: null` returns the idea to a status recorded earlier
 * (an unmerge).
 */
export const IDEA_TRANSITIONS = {
  approve: { from: ['submitted'], to: 'approved' },
  requestChanges: { from: ['submitted'], to: 'changes-requested' },
  reject: { from: ['submitted'], to: 'rejected' },
  merge: { from: ['submitted', 'approved', 'changes-requested', 'shortlisted', 'not-shortlisted'], to: 'merged' },
  unmerge: { from: ['merged'], to: null },
  shortlist: { from: ['approved', 'not-shortlisted'], to: 'shortlisted' },
  dropFromShortlist: { from: ['shortlisted'], to: 'approved' },
  notShortlisted: { from: ['approved'], to: 'not-shortlisted' },
  // Taken off a shortlist already final, in one step (a phase effect running meanwhile finds it
  // neither approved nor listed), scored or not: off the list, nothing else would give it an outcome.
  leaveFinalShortlist: { from: ['shortlisted', 'scored'], to: 'not-shortlisted' },
  reconsider: { from: ['not-shortlisted'], to: 'approved' },
  markScored: { from: ['shortlisted'], to: 'scored' },
  crown: { from: ['shortlisted', 'scored', 'not-awarded'], to: 'winner' },
  uncrown: { from: ['winner'], to: 'not-awarded' },
  notAwarded: { from: ['shortlisted', 'scored'], to: 'not-awarded' },
  promote: { from: ['shortlisted', 'scored', 'winner', 'not-awarded'], to: 'promoted' },
  // A backlog item's status carries its source ideas with it, forwards and (one step) back.
  backToBacklog: { from: ['declined'], to: 'promoted' },
  ship: { from: ['shortlisted', 'scored', 'winner', 'not-awarded', 'promoted', 'declined'], to: 'shipped' },
  decline: { from: ['shortlisted', 'scored', 'winner', 'not-awarded', 'promoted'], to: 'declined' },
} as const satisfies Record<string, { from: readonly IdeaStatus[]; to: IdeaStatus | null }>;

export type IdeaIntent = keyof typeof IDEA_TRANSITIONS;

/** Statuses from which an idea may still be promoted into a backlog (or feed another item). */
export const PROMOTABLE_STATUSES: readonly IdeaStatus[] = ['shortlisted', 'scored', 'winner', 'not-awarded', 'promoted', 'shipped', 'declined'];

/** Final outcomes: the idea's path ends here (a backlog item may still carry a promoted idea on). */
export const FINAL_STATUSES: readonly IdeaStatus[] = ['rejected', 'merged', 'not-shortlisted', 'not-awarded', 'winner', 'promoted', 'shipped', 'declined'];

export function mayMove(intent: IdeaIntent, from: IdeaStatus): boolean {
  return (IDEA_TRANSITIONS[intent].from as readonly IdeaStatus[]).includes(from);
}
