import type { MaybeActor } from '../../shared/actor.ts';
import type { ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { Phase } from '../challenges/phases.ts';
import { canSeeIdea, isAuthor, isInvitedCoAuthor, type IdeaAccess } from '../ideas/ideas.policy.ts';

/** The crowd votes while ideas come in and while copilots curate; after that, judges decide. */
export const VOTING_PHASES: Phase[] = ['open', 'curation'];
const VOTABLE = new Set(['submitted', 'approved', 'shortlisted']);

/** Why the actor may not vote for this idea now, or null when they may. */
export function voteRefusal(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): string | null {
  if (!actor) return 'Sign in to vote.';
  if (!canSeeIdea(actor, idea, challenge)) return 'You cannot vote on this idea.';
  if (!actor.emailVerified) return 'Confirm your email address before voting.';
  if (isAuthor(actor, idea) || isInvitedCoAuthor(actor, idea)) return 'You cannot vote for your own idea.';
  if (!VOTING_PHASES.includes(challenge.phase)) return 'Voting is closed for this challenge.';
  if (!VOTABLE.has(idea.status)) return 'This idea is not open for votes.';
  return null;
}
