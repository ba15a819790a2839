import { isStaff, type MaybeActor } from '../../shared/actor.ts';
import { isChallengeTeam, isCopilot, type ChallengeAccess } from '../challenges/challenges.policy.ts';
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
  if (idea.hidden) return 'This idea is hidden while the copilots review it.';
  return null;
}

/** How long an author may still edit a comment. */
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

/** Discussion runs from submission until the challenge closes. */
export function commentRefusal(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): string | null {
  if (!actor) return 'Sign in to comment.';
  if (!canSeeIdea(actor, idea, challenge)) return 'You cannot comment on this idea.';
  if (!actor.emailVerified) return 'Confirm your email address before commenting.';
  if (idea.status === 'draft') return 'Comments open once the idea is submitted.';
  if (idea.hidden && !isAuthor(actor, idea) && !isChallengeTeam(actor, challenge)) return 'This idea is hidden while the copilots review it.';
  if (challenge.phase === 'closed') return 'This challenge is closed for discussion.';
  return null;
}

export function canEditComment(actor: MaybeActor, comment: { authorId: string; createdAt: Date; removedAt: Date | null }, now = new Date()): boolean {
  return actor !== null && comment.authorId === actor.id && !comment.removedAt && now.getTime() - comment.createdAt.getTime() <= COMMENT_EDIT_WINDOW_MS;
}

/** Authors remove their own comments; the challenge team moderates any. */
export const canRemoveComment = (actor: MaybeActor, comment: { authorId: string }, challenge: ChallengeAccess) =>
  actor !== null && (comment.authorId === actor.id || isChallengeTeam(actor, challenge));

/** Copilots and staff mark a comment as the official answer. */
export const canMarkOfficial = (actor: MaybeActor, challenge: ChallengeAccess) => isStaff(actor) || isCopilot(actor, challenge);
