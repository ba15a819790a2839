import { message, type Message } from '../../i18n/i18n.ts';
import { isStaff, type MaybeActor } from '../../shared/actor.ts';
import { isChallengeTeam, isCopilot, type ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { Phase } from '../challenges/phases.ts';

/** The challenge's copilots curate it; staff may step in on any challenge. */
export const canCurate = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge);

/** Screening runs while ideas come in and while copilots finish curating. */
export const SCREENING_PHASES: readonly Phase[] = ['open', 'curation'];

/** Why the actor may not screen, merge or moderate in this challenge now, or null when they may. */
export function curationRefusal(actor: MaybeActor, challenge: ChallengeAccess): Message | null {
  if (!canCurate(actor, challenge)) return message('curation.refusal.curate');
  if (!SCREENING_PHASES.includes(challenge.phase)) return message('curation.refusal.screeningOver');
  return null;
}

/**
 * The shortlist is built during curation by copilots; once judging starts it is frozen and only
 * staff may change it (with a reason, audited).
 */
export function shortlistEditRefusal(actor: MaybeActor, challenge: ChallengeAccess): Message | null {
  if (!canCurate(actor, challenge)) return message('curation.shortlist.refusal.team');
  if (challenge.phase === 'curation') return null;
  if (challenge.phase === 'draft' || challenge.phase === 'open') return message('curation.shortlist.refusal.tooEarly');
  if (!isStaff(actor)) return message('curation.shortlist.refusal.frozen');
  return null;
}

/** Is the shortlist frozen (judging has started), so that a change needs staff and a reason? */
export const isShortlistFrozen = (challenge: ChallengeAccess) => !['draft', 'open', 'curation'].includes(challenge.phase);

/** The team reads the shortlist with the copilots' notes; so do staff, who own the backlogs. */
export const canReadShortlist = (actor: MaybeActor, challenge: ChallengeAccess) => isChallengeTeam(actor, challenge);
