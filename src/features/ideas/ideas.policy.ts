import type { MaybeActor } from '../../shared/actor.ts';
import { canSeeChallenge, canSeeOthersIdeas, isChallengeTeam, type ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { IdeaStatus } from './idea.model.ts';

/** What the policy needs to know about an idea. */
export type IdeaAccess = {
  status: IdeaStatus;
  authorId: string;
  coAuthors: Array<{ userId: string; status: 'invited' | 'accepted' }>;
};

/** The author and the co-authors who accepted. */
export const isAuthor = (actor: MaybeActor, idea: IdeaAccess) =>
  actor !== null && (idea.authorId === actor.id || idea.coAuthors.some((c) => c.userId === actor.id && c.status === 'accepted'));

export const isInvitedCoAuthor = (actor: MaybeActor, idea: IdeaAccess) =>
  actor !== null && idea.coAuthors.some((c) => c.userId === actor.id && c.status === 'invited');

/** A draft is its authors' alone; a submitted idea follows the challenge's submission visibility. */
export function canSeeIdea(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): boolean {
  if (!canSeeChallenge(actor, challenge)) return false;
  if (isAuthor(actor, idea) || isInvitedCoAuthor(actor, idea)) return true;
  if (idea.status === 'draft') return false;
  return canSeeOthersIdeas(actor, challenge);
}

const EDITABLE: IdeaStatus[] = ['draft', 'submitted', 'changes-requested'];

/** Authors edit while the challenge is open (drafts, submitted ideas, and ideas sent back). */
export const canEditIdea = (actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess) =>
  isAuthor(actor, idea) && challenge.phase === 'open' && EDITABLE.includes(idea.status);

export const canSeeRevisions = (actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess) =>
  isAuthor(actor, idea) || (isChallengeTeam(actor, challenge) && idea.status !== 'draft');
