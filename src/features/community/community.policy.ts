import { message, type Message } from '../../i18n/i18n.ts';
import { isStaff, type MaybeActor } from '../../shared/actor.ts';
import { isChallengeTeam, isCopilot, type ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { Phase } from '../challenges/phases.ts';
import { canSeeIdea, isAuthor, isInvitedCoAuthor, type IdeaAccess } from '../ideas/ideas.policy.ts';

/** Why a hidden idea takes no votes or comments, by how it was hidden: for review, by hand, or removed for good. */
const hiddenRefusal = (cause: NonNullable<IdeaAccess['hidden']>): Message =>
  message(cause === 'removed' ? 'idea.refusal.removed' : cause === 'copilot' ? 'idea.refusal.hiddenByCopilots' : 'idea.refusal.hidden');

/** The crowd votes while ideas come in and while copilots curate; after that, judges decide. */
export const VOTING_PHASES: Phase[] = ['open', 'curation'];
const VOTABLE = new Set(['submitted', 'approved', 'shortlisted']);

/** Why the actor may not vote for this idea now, or null when they may. */
export function voteRefusal(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): Message | null {
  if (!actor) return message('idea.refusal.signInToVote');
  if (!canSeeIdea(actor, idea, challenge)) return message('idea.refusal.cannotVote');
  if (!actor.emailVerified) return message('idea.refusal.confirmToVote');
  if (isAuthor(actor, idea) || isInvitedCoAuthor(actor, idea)) return message('idea.refusal.ownIdea');
  if (!VOTING_PHASES.includes(challenge.phase)) return message('idea.refusal.votingClosed');
  if (!VOTABLE.has(idea.status)) return message('idea.refusal.notVotable');
  if (idea.hidden) return hiddenRefusal(idea.hidden);
  return null;
}

/** How long an author may still edit a comment. */
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

/** Discussion runs from submission until the challenge closes. */
export function commentRefusal(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): Message | null {
  if (!actor) return message('idea.refusal.signInToComment');
  if (!canSeeIdea(actor, idea, challenge)) return message('idea.refusal.cannotComment');
  if (!actor.emailVerified) return message('idea.refusal.confirmToComment');
  if (idea.status === 'draft') return message('idea.refusal.draft');
  if (idea.hidden && !isAuthor(actor, idea) && !isChallengeTeam(actor, challenge)) return hiddenRefusal(idea.hidden);
  if (challenge.phase === 'closed') return message('idea.refusal.closed');
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
