import { hasRole, isStaff, type MaybeActor } from '../../shared/actor.ts';
import { message, type Message } from '../../i18n/i18n.ts';
import type { Audience } from './challenge.model.ts';
import type { Phase } from './phases.ts';

/** What the policy needs to know about a challenge. */
export type ChallengeAccess = {
  phase: Phase;
  audience: Audience;
  invitedEmails: string[];
  copilotIds: string[];
  judgeIds: string[];
  submissionVisibility: 'open' | 'sealed';
  crowdSees: 'approved' | 'submitted';
};

export const isCopilot = (actor: MaybeActor, challenge: ChallengeAccess) => actor !== null && challenge.copilotIds.includes(actor.id);
export const isJudge = (actor: MaybeActor, challenge: ChallengeAccess) => actor !== null && challenge.judgeIds.includes(actor.id);

/** Staff, and the challenge's own copilots and judges: they see everything in it. */
export const isChallengeTeam = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge) || isJudge(actor, challenge);

export const canCreateChallenge = (actor: MaybeActor) => isStaff(actor);
export const canEditChallenge = (actor: MaybeActor) => isStaff(actor);
export const canMovePhase = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge);

/**
 * May the actor know this challenge exists? Drafts are for the team; invite-only challenges for
 * the invited; a specialists' challenge for verified specialists.
 */
export function canSeeChallenge(actor: MaybeActor, challenge: ChallengeAccess): boolean {
  if (isChallengeTeam(actor, challenge)) return true;
  if (challenge.phase === 'draft') return false;
  switch (challenge.audience) {
    case 'public':
      return true;
    case 'members':
      return actor !== null;
    case 'specialists':
      return hasRole(actor, 'specialist');
    case 'invite-only':
      return actor !== null && actor.emailVerified && challenge.invitedEmails.includes(actor.email);
  }
}

/** Why the actor may not submit now, or null when they may. */
export function submitRefusal(actor: MaybeActor, challenge: ChallengeAccess): Message | null {
  if (!actor) return message('challenge.refusal.signIn');
  if (!canSeeChallenge(actor, challenge)) return message('challenge.refusal.notInvited');
  if (!actor.emailVerified) return message('challenge.refusal.confirmEmail');
  if (challenge.audience === 'specialists' && !hasRole(actor, 'specialist')) return message('challenge.refusal.specialists');
  if (challenge.phase !== 'open') return message('challenge.refusal.notOpen');
  return null;
}

export const canSubmitIdea = (actor: MaybeActor, challenge: ChallengeAccess) => submitRefusal(actor, challenge) === null;

/** Submitted ideas of an open challenge are seen by its crowd; sealed ones by the team only. */
export function canSeeOthersIdeas(actor: MaybeActor, challenge: ChallengeAccess): boolean {
  if (!canSeeChallenge(actor, challenge)) return false;
  return challenge.submissionVisibility === 'open' || isChallengeTeam(actor, challenge);
}
