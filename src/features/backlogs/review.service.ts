import mongoose, { Schema } from 'mongoose';
import { message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Comments } from '../community/comments.service.ts';
import type { Comparisons } from '../community/comparisons.service.ts';
import { Shortlist } from '../curation/shortlist.model.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import type { Results } from '../judging/results.service.ts';
import type { Notifications } from '../notifications/notifications.service.ts';
import { Promotion, promotionId } from './backlog.model.ts';
import type { Backlogs } from './backlogs.service.ts';
import { canSeeBoards } from './backlogs.policy.ts';
import type { BacklogItems } from './items.service.ts';

/** A backlog owner's "not for us", one per idea per backlog, with the reason the authors read. */
const reviewDeclineSchema = new Schema(
  { _id: { type: String, required: true }, reason: { type: String, required: true }, byId: Schema.Types.ObjectId, byName: String, at: Date },
  { versionKey: false },
);
const ReviewDecline = mongoose.model('ReviewDecline', reviewDeclineSchema);

type Deps = {
  challenges: Challenges;
  board: IdeaBoard;
  backlogs: Backlogs;
  items: BacklogItems;
  results: Results;
  comparisons: Comparisons;
  comments: Comments;
  notifications: Notifications;
};

/**
 * The product team's review of a challenge's shortlist and winners: the judges' summary, the
 * crowd signal and the copilots' notes side by side, and for each entry accept (promote, then
 * accepted), ask a question (on the idea's discussion), or decline with a reason.
 */
export function createReview(deps: Deps) {
  const { challenges, board, backlogs, items, results, comparisons, comments, notifications } = deps;

  async function reviewer(actor: Actor, challengeId: string) {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    const backlog = await backlogs.get(challenge.targetBacklog);
    if (!canSeeBoards(actor, [backlog])) throw new Forbidden(message('backlogs.refusal.review'));
    return { challenge, backlog };
  }

  return {
    async page(actor: Actor, challengeId: string) {
      const { challenge, backlog } = await reviewer(actor, challengeId);
      const notes = new Map(((await Shortlist.findById(challenge.id).lean())?.entries ?? []).map((entry) => [String(entry.ideaId), entry.note ?? '']));
      const ranking = new Map((await results.rankingOf(challenge)).rows.map((row) => [row.ideaId, row]));
      const cards = (await board.cards(challenge.id)).filter((card) => notes.has(card.id));
      const entries = await Promise.all(
        cards.map(async (card) => {
          const declined = await ReviewDecline.findById(`${card.id}:${backlog.id}`).lean();
          const promoted = card.status === 'promoted' || card.status === 'shipped';
          // Where it went: the item in this backlog, or another backlog.
          const promotion = promoted ? await Promotion.findById(promotionId(card.id, backlog.id), { itemId: 1 }).lean() : null;
          return {
            card,
            note: notes.get(card.id) ?? '',
            judged: ranking.get(card.id) ?? null,
            crowd: await comparisons.ideaScore(challenge.id, card.id),
            declined: declined ? { reason: declined.reason, byName: declined.byName, at: declined.at } : null,
            promoted: promoted ? { itemId: promotion ? String(promotion.itemId) : null } : null,
          };
        }),
      );
      entries.sort((a, b) => (a.judged?.finalRank ?? Infinity) - (b.judged?.finalRank ?? Infinity));
      return { challenge, backlog, entries };
    },

    /** Accept: into the challenge's backlog, and straight to "accepted". */
    async accept(actor: Actor, challengeId: string, ideaId: string, note: string) {
      const { backlog } = await reviewer(actor, challengeId);
      const { item } = await items.promote(actor, ideaId, backlog.id, { thenMoved: true });
      if (item.status === 'proposed') await items.move({ actor, via: 'web' }, item.id, 'accepted', note || 'Accepted by the product team');
      return item;
    },

    async ask(actor: Actor, challengeId: string, ideaId: string, question: string) {
      await reviewer(actor, challengeId);
      if (!question) throw new Invalid({ question: message('backlogs.invalid.question') });
      return comments.addComment(actor, ideaId, { body: question });
    },

    async decline(actor: Actor, challengeId: string, ideaId: string, reason: string) {
      const { challenge, backlog } = await reviewer(actor, challengeId);
      if (!reason) throw new Invalid({ reason: message('backlogs.invalid.reason') });
      const card = (await board.cards(challenge.id)).find((candidate) => candidate.id === ideaId);
      if (!card) throw new NotFound(message('backlogs.refusal.notInChallenge'));
      try {
        await ReviewDecline.create({ _id: `${ideaId}:${backlog.id}`, reason, byId: actor.id, byName: actor.name, at: new Date() });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new Conflict(message('backlogs.refusal.declinedAlready'));
        throw error;
      }
      await recordAudit(actor, { action: 'review.declined', targetType: 'idea', targetId: ideaId, targetLabel: card.title, reason });
      await notifications.notify(
        card.authorIds,
        { kind: 'backlog_update', text: message('notifications.reviewDeclined', { backlog: backlog.name, title: card.title, reason }), link: `/ideas/${ideaId}` },
        { except: actor.id },
      );
    },
  };
}

export type Review = ReturnType<typeof createReview>;
