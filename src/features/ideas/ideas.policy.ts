import type { MaybeActor } from '../../shared/actor.ts';
import { canSeeChallenge, canSeeOthersIdeas, isChallengeTeam, type ChallengeAccess } from '../challenges/challenges.policy.ts';
import type { HideCause, IdeaStatus } from './idea.model.ts';
import { message, type Message } from '../../i18n/i18n.ts';

/** What the policy needs to know about an idea. */
export type IdeaAccess = {
  status: IdeaStatus;
  authorId: string;
  coAuthors: Array<{ userId: string; status: 'invited' | 'accepted' }>;
  hidden: HideCause | null;
};

/** Statuses past screening: the crowd of an open challenge sees these. */
const SCREENED: ReadonlySet<IdeaStatus> = new Set(['approved', 'merged', 'shortlisted', 'not-shortlisted', 'scored', 'winner', 'not-awarded', 'promoted', 'shipped', 'declined']);

/** Has the idea reached the crowd? Approved ones have; submitted ones only where the challenge shows them at once. */
export const reachesCrowd = (status: IdeaStatus, challenge: Pick<ChallengeAccess, 'crowdSees'>) => SCREENED.has(status) || (status === 'submitted' && challenge.crowdSees === 'submitted');

/** The author and the co-authors who accepted. */
export const isAuthor = (actor: MaybeActor, idea: IdeaAccess) => actor !== null && (idea.authorId === actor.id || idea.coAuthors.some((c) => c.userId === actor.id && c.status === 'accepted'));

export const isInvitedCoAuthor = (actor: MaybeActor, idea: IdeaAccess) => actor !== null && idea.coAuthors.some((c) => c.userId === actor.id && c.status === 'invited');

/**
 * A draft is its authors' alone; the team sees everything submitted; the crowd of an open
 * challenge sees what reached it (a hidden idea is shown to them as a placeholder, see canReadIdea).
 */
export function canSeeIdea(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): boolean {
  if (!canSeeChallenge(actor, challenge)) return false;
  if (isAuthor(actor, idea) || isInvitedCoAuthor(actor, idea)) return true;
  if (idea.status === 'draft') return false;
  if (isChallengeTeam(actor, challenge)) return true;
  return canSeeOthersIdeas(actor, challenge) && reachesCrowd(idea.status, challenge);
}

/** May the actor read a hidden idea's text? Its authors and the challenge team may; the crowd sees a placeholder. */
export const canReadIdea = (actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess) => idea.hidden === null || isAuthor(actor, idea) || isChallengeTeam(actor, challenge);

const EDITABLE: IdeaStatus[] = ['draft', 'submitted', 'changes-requested'];

/** Why the actor may not edit the idea now, in words for its author; null when they may. */
export function editRefusal(actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess): Message | null {
  if (!isAuthor(actor, idea)) return message('ideaChecks.edit.notAuthor');
  if (challenge.phase === 'curation' && idea.status === 'changes-requested') return null;
  if (challenge.phase !== 'open') return message('ideaChecks.edit.closed');
  if (EDITABLE.includes(idea.status)) return null;
  return message(idea.status === 'approved' ? 'ideaChecks.edit.approved' : 'ideaChecks.edit.movedOn');
}

/** Authors edit while the challenge is open; an idea sent back for changes also during curation. */
export const canEditIdea = (actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess) => editRefusal(actor, idea, challenge) === null;

export const canSeeRevisions = (actor: MaybeActor, idea: IdeaAccess, challenge: ChallengeAccess) => isAuthor(actor, idea) || (isChallengeTeam(actor, challenge) && idea.status !== 'draft');
