import { isStaff, type MaybeActor } from '../../shared/actor.ts';
import { isCopilot, isJudge, type ChallengeAccess } from '../challenges/challenges.policy.ts';

/** Staff run judging: the mode, assignments, nudges, winners. */
export const canManageJudging = (actor: MaybeActor) => isStaff(actor);

/** Staff and the challenge's copilots read the ranking; judges see their own scorecards. */
export const canSeeResults = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge);

export type ScoringContext = { assigned: boolean; conflicted: boolean; ideaStatus: string };

/** Why the actor may not score this idea now, or null when they may. */
export function scoreRefusal(actor: MaybeActor, challenge: ChallengeAccess, context: ScoringContext): string | null {
  if (!isJudge(actor, challenge)) return 'Only this challenge’s judges score its ideas.';
  if (context.conflicted) return 'You declared a conflict of interest on this idea: another judge scores it.';
  if (!context.assigned) return 'This idea is not assigned to you.';
  if (challenge.phase !== 'judging') return 'Scorecards can be filled in only while the challenge is in judging.';
  if (!['shortlisted', 'scored'].includes(context.ideaStatus)) return 'Only shortlisted ideas are scored.';
  return null;
}

/** With blind review on, a judge (who is not also running the challenge as its copilot) sees no author. */
export const judgesBlind = (actor: MaybeActor, challenge: ChallengeAccess, blind: boolean) => blind && isJudge(actor, challenge) && ['judging', 'appeals'].includes(challenge.phase);
