import mongoose from 'mongoose';
import { message, type Text } from '../../i18n/i18n.ts';
import type { Actor, MaybeActor } from '../../shared/actor.ts';
import { Forbidden, Invalid, type AppError } from '../../shared/errors.ts';
import { shownName } from '../../shared/personal-data.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Comments } from '../community/comments.service.ts';
import { Idea, type IdeaStatus } from '../ideas/idea.model.ts';
import { canReadIdea, canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import { canCurate, curationRefusal } from './curation.policy.ts';

// Lean reads apply no schema defaults: ideas saved before merges existed lack `mergedFrom` and
// `contributors`, hence the `?? []` wherever they are read.
export const loadIdea = (id: string) => (mongoose.isValidObjectId(id) ? Idea.findById(id).lean() : Promise.resolve(null));
export type IdeaRecord = NonNullable<Awaited<ReturnType<typeof loadIdea>>>;

/** The author and the co-authors who accepted. */
export const authorsOf = (idea: IdeaRecord) => [String(idea.authorId), ...idea.coAuthors.filter((c) => c.status === 'accepted').map((c) => String(c.userId))];

/** The sentence to show for a refusal: a field message, or the conflict's own. */
const reasonOf = (error: AppError): Text => (error instanceof Invalid ? (Object.values(error.fieldTexts)[0] ?? error.text) : error.text);

type ViewDeps = {
  challenges: Challenges;
  directory: UserDirectory;
  comments: Comments;
  ideaIn: (actor: Actor, challenge: ChallengeView, ideaId: string) => Promise<IdeaRecord>;
  mergeRefusal: (actor: Actor, duplicate: IdeaRecord, target: IdeaRecord | null, challenge: ChallengeView) => Promise<AppError | null>;
};

/** What the compare page and the idea page show of merges. */
export function createMergeViews({ challenges, directory, comments, ideaIn, mergeRefusal }: ViewDeps) {
  async function side(idea: IdeaRecord) {
    const people = await directory.people(authorsOf(idea));
    const status = idea.status as IdeaStatus;
    return {
      id: String(idea._id),
      title: idea.title,
      summary: idea.summary,
      bodyHtml: idea.bodyHtml,
      tags: idea.tags,
      authorNames: authorsOf(idea).map((id) => shownName(people.get(id))),
      votes: idea.voteCount ?? 0,
      status,
    };
  }

  /** A merged idea's discussion, read-only, for its target's page; none for those who may not read the idea. */
  async function readOnlyThread(actor: MaybeActor, idea: IdeaRecord, challenge: ChallengeView) {
    if (!canReadIdea(actor, accessOf(idea), challenge)) return [];
    const thread = await comments.thread(actor, String(idea._id));
    type Shown = Pick<(typeof thread.comments)[number], 'id' | 'authorName' | 'bodyHtml' | 'removed' | 'hiddenPlaceholder' | 'createdAt'>;
    const strip = ({ id, authorName, bodyHtml, removed, hiddenPlaceholder, createdAt }: Shown) => ({ id, authorName, bodyHtml, removed, hiddenPlaceholder, createdAt });
    return thread.comments.map((comment) => ({ ...strip(comment), replies: comment.replies.map(strip) }));
  }

  return {
    /** Two ideas of the challenge side by side, with whether each may be merged into the other and why not. */
    async compare(actor: Actor, challengeId: string, leftId: string, rightId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!canCurate(actor, challenge)) throw new Forbidden(message('curation.refusal.curate'));
      const [left, right] = await Promise.all([ideaIn(actor, challenge, leftId), ideaIn(actor, challenge, rightId)]);
      const refusal = curationRefusal(actor, challenge);
      const why = async (duplicate: IdeaRecord, target: IdeaRecord) => {
        const error = refusal ? null : await mergeRefusal(actor, duplicate, target, challenge);
        return refusal ?? (error ? reasonOf(error) : null);
      };
      return {
        challenge,
        left: { ...(await side(left)), mergeRefusal: await why(left, right) },
        right: { ...(await side(right)), mergeRefusal: await why(right, left) },
      };
    },

    /** For the idea page: where a merged idea went, who is credited here, and what was merged into it. */
    async ideaPage(actor: MaybeActor, idea: IdeaRecord, challenge: ChallengeView) {
      const into = idea.mergedInto ? await loadIdea(String(idea.mergedInto)) : null;
      const sources = (await Promise.all((idea.mergedFrom ?? []).map((id) => loadIdea(String(id))))).filter((source): source is IdeaRecord => source !== null);
      const people = await directory.people((idea.contributors ?? []).map((c) => String(c.userId)));
      const titleOf = (id: string) => sources.find((source) => String(source._id) === id)?.title ?? message('common.removedIdea');
      const visibleSources = sources.filter((source) => canSeeIdea(actor, accessOf(source), challenge));
      return {
        mergedInto: into ? { id: String(into._id), title: into.title, link: canSeeIdea(actor, accessOf(into), challenge) } : null,
        contributors: (idea.contributors ?? []).map((c) => ({ name: shownName(people.get(String(c.userId))), fromId: String(c.fromIdeaId), fromTitle: titleOf(String(c.fromIdeaId)) })),
        mergedFrom: await Promise.all(visibleSources.map(async (source) => ({ id: String(source._id), title: source.title, comments: await readOnlyThread(actor, source, challenge) }))),
        canUnmerge: idea.status === 'merged' && actor !== null && curationRefusal(actor, challenge) === null,
      };
    },
  };
}
