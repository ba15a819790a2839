import { message, type Message } from '../../i18n/i18n.ts';
import { isStaff, type MaybeActor } from '../../shared/actor.ts';
import { isCopilot, isJudge, type ChallengeAccess } from '../challenges/challenges.policy.ts';

/** Staff run judging: the mode, assignments, nudges, winners. */
export const canManageJudging = (actor: MaybeActor) => isStaff(actor);

/** The judging page (a judge's own ideas to score) and the appeals: the challenge's judges and staff. */
export const canOpenJudging = (actor: MaybeActor, challenge: ChallengeAccess) => isJudge(actor, challenge) || canManageJudging(actor);

/** Staff and the challenge's copilots read the ranking; judges see their own scorecards. */
export const canSeeResults = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge);

export type ScoringContext = { assigned: boolean; conflicted: boolean; ideaStatus: string };

/** Why the actor may not score this idea now, or null when they may. */
export function scoreRefusal(actor: MaybeActor, challenge: ChallengeAccess, context: ScoringContext): Message | null {
  if (!isJudge(actor, challenge)) return message('judging.refusal.notJudge');
  if (context.conflicted) return message('judging.refusal.conflicted');
  if (!context.assigned) return message('judging.refusal.notAssigned');
  if (challenge.phase !== 'judging') return message('judging.refusal.notJudging');
  if (!['shortlisted', 'scored'].includes(context.ideaStatus)) return message('judging.refusal.notShortlisted');
  return null;
}

/** With blind review on, a judge (who is not also running the challenge as its copilot) sees no author. */
export const judgesBlind = (actor: MaybeActor, challenge: ChallengeAccess, blind: boolean) => blind && isJudge(actor, challenge) && ['judging', 'appeals'].includes(challenge.phase);
