import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { IdeaLifecycle, Mover as IdeaMover } from '../ideas/idea-lifecycle.ts';
import { Idea } from '../ideas/idea.model.ts';
import { PROMOTABLE_STATUSES } from '../ideas/idea-transitions.ts';
import { creditedIdsOf } from '../ideas/ideas.service.ts';
import type { Results } from '../judging/results.service.ts';
import { BacklogItem, Promotion, promotionId } from './backlog.model.ts';
import type { Backlogs } from './backlogs.service.ts';
import { canMoveItems, canPromoteInto } from './backlogs.policy.ts';
import type { ItemCatalog, ItemView } from './item-catalog.ts';
import { allowedMoves, ideaStatusFor, isAllowedMove, type ItemStatus } from './workflow.ts';
import { message } from '../../i18n/i18n.ts';

type Deps = { events: EventBus; challenges: Challenges; challengeCatalog: ChallengeCatalog; lifecycle: IdeaLifecycle; backlogs: Backlogs; catalog: ItemCatalog; results: Results };
/** Who moved an item: a person on the board, or a tracker through its backlog's API token. */
export type Mover = { actor: Actor; via: 'web' } | { actor: null; via: 'api'; label: string };

export function createBacklogItems(deps: Deps) {
  const { events, challenges, lifecycle, backlogs, catalog, results } = deps;

  // A promotion is made once (its record, marked) and done when the idea names the item, its last write.
  events.verifyWith('idea.promoted', async (payload, mark) => {
    const [promotion, idea] = await Promise.all([Promotion.findById(promotionId(payload.ideaId, payload.backlogId), { key: 1 }).lean(), loadIdea(payload.ideaId)]);
    return promotion?.key === mark && idea?.promotedTo.some((into) => String(into.itemId) === payload.itemId) ? payload : null;
  });
  events.verifyWith('backlog_item.status_changed', async (payload, mark) =>
    mongoose.isValidObjectId(payload.itemId) && (await BacklogItem.findById(payload.itemId, { statusHistory: 1 }).lean())?.statusHistory.some((change) => change.key === mark) ? payload : null,
  );

  function loadIdea(ideaId: string) {
    return mongoose.isValidObjectId(ideaId) ? Idea.findById(ideaId).lean() : Promise.resolve(null);
  }

  /** Sets the source ideas' status to match the item (conditionally, so a concurrent change is not overwritten). */
  async function followItem(item: ItemView, backlogName: string, to: ItemStatus, by: IdeaMover, note: string) {
    for (const ideaId of item.sourceIdeaIds) {
      const said = { status: message(`common.itemStatusLabel.${to}`), backlog: backlogName };
      await lifecycle.followItem(by, ideaId, ideaStatusFor(to), note ? message('ideaHistory.followsItemNote', { ...said, note }) : message('ideaHistory.followsItem', said));
    }
  }

  /** The judges' summary of an idea at promotion: its rank, interval and prize, if judged. */
  async function judgingSummary(ideaId: string, challengeId: string) {
    const challenge = await deps.challengeCatalog.get(challengeId);
    if (!challenge) return null;
    const row = (await results.rankingOf(challenge)).rows.find((candidate) => candidate.ideaId === ideaId);
    return row ? { ideaId, rank: row.finalRank, score: row.calibratedScore, rankLow: row.rankLow, rankHigh: row.rankHigh, tier: '' } : null;
  }

  return {
    /**
     * Puts an idea into a backlog: a new item, or (`intoItemId`) one it now also feeds. Once per
     * idea per backlog: asking again, or twice at once, returns the item made the first time.
     */
    async promote(actor: Actor, ideaId: string, backlogId: string, options: { intoItemId?: string; thenMoved?: boolean } = {}): Promise<{ item: ItemView; created: boolean }> {
      const backlog = await backlogs.get(backlogId);
      if (!canPromoteInto(actor, backlog)) throw new Forbidden(message('backlogs.refusal.promote'));
      const idea = await loadIdea(ideaId);
      if (!idea) throw new NotFound(message('backlogs.refusal.noIdea'));
      await challenges.visibleChallenge(actor, String(idea.challengeId));
      if (!PROMOTABLE_STATUSES.includes(idea.status)) throw new Conflict(message('backlogs.refusal.notPromotable', { status: message(`ideas.status.${idea.status}`) }));
      const target = options.intoItemId ? await catalog.get(options.intoItemId) : undefined;
      if (options.intoItemId && (!target || target.backlogId !== backlogId)) throw new Invalid({ intoItemId: message('backlogs.invalid.intoItem') });

      const itemId = target ? new mongoose.Types.ObjectId(target.id) : new mongoose.Types.ObjectId();
      const intent = await events.intend([
        'idea.promoted',
        {
          ideaId,
          challengeId: String(idea.challengeId),
          itemId: String(itemId),
          backlogId,
          backlogName: backlog.name,
          byId: actor.id,
          title: idea.title,
          itemTitle: target?.title ?? idea.title,
          created: !target,
          thenMoved: options.thenMoved ?? false,
        },
      ]);
      try {
        await Promotion.create({ _id: promotionId(ideaId, backlogId), itemId, key: intent.mark });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await intent.abandon();
        const earlier = await Promotion.findById(promotionId(ideaId, backlogId)).lean();
        // A parallel request won the promotion and is writing the item: wait for it briefly.
        for (let attempt = 0; attempt < 20; attempt++) {
          const item = (await catalog.get(String(earlier!.itemId))) ?? (await catalog.refresh(String(earlier!.itemId)));
          if (item) return { item, created: false };
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Conflict(message('backlogs.refusal.promoting'));
      }

      const credited = creditedIdsOf(idea);
      const summary = await judgingSummary(ideaId, String(idea.challengeId));
      if (target) {
        await BacklogItem.updateOne(
          { _id: itemId },
          {
            $addToSet: { sourceIdeaIds: idea._id, challengeIds: idea.challengeId, contributorIds: { $each: credited.map((id) => new mongoose.Types.ObjectId(id)) }, tags: { $each: idea.tags } },
            ...(summary ? { $push: { judging: summary } } : {}),
            $inc: { version: 1 },
          },
        );
      } else {
        await BacklogItem.create({
          _id: itemId,
          backlogId,
          title: idea.title,
          description: idea.summary,
          status: 'proposed',
          statusHistory: [{ from: null, to: 'proposed', note: `Promoted from “${idea.title}”`, at: new Date(), byId: actor.id, byName: actor.name, via: 'web' }],
          sourceIdeaIds: [idea._id],
          challengeIds: [idea.challengeId],
          contributorIds: [...new Set(credited)],
          tags: idea.tags,
          judging: summary ? [summary] : [],
        });
      }
      const item = (await catalog.refresh(String(itemId)))!;
      await lifecycle.promote(
        { actor },
        ideaId,
        { backlogId, backlogName: backlog.name, itemId: item.id },
        { action: 'idea.promoted', targetLabel: idea.title, after: { backlogId, itemId: item.id, created: !target } },
      );
      await intent.done({ itemTitle: item.title });
      return { item, created: !target };
    },

    /**
     * Moves an item along the workflow with a public note; refused (409, naming the allowed moves)
     * when the workflow does not allow it, and conditional on the status read, so of two moves at
     * once one stands. The source ideas follow, and everyone credited or following them is told.
     */
    async move(mover: Mover, itemId: string, to: ItemStatus, note: string): Promise<ItemView> {
      const item = mongoose.isValidObjectId(itemId) ? await catalog.refresh(itemId) : undefined;
      if (!item) throw new NotFound(message('backlogs.refusal.noItem'));
      const backlog = await backlogs.get(item.backlogId);
      if (mover.via === 'web' && !canMoveItems(mover.actor, backlog)) throw new Forbidden(message('backlogs.refusal.move'));
      if (!isAllowedMove(item.status, to)) {
        const label = (status: ItemStatus) => message(`common.itemStatusLabel.${status}`);
        const allowed = allowedMoves(item.status);
        // The list of allowed moves is joined here: each name is a message, in the reader's language.
        const names = Object.fromEntries(allowed.map((status, index) => [`s${index}`, label(status)]));
        throw new Conflict(
          allowed.length
            ? message('backlogs.refusal.badMove', { title: item.title, from: label(item.status), to: label(to), allowed: message(`backlogs.list${allowed.length}`, names) })
            : message('backlogs.refusal.badMoveFinal', { title: item.title, from: label(item.status), to: label(to) }),
        );
      }
      if ((to === 'shipped' || to === 'declined') && !note) throw new Invalid({ note: message(to === 'shipped' ? 'backlogs.invalid.shippedNote' : 'backlogs.invalid.declinedNote') });
      const byName = mover.via === 'web' ? mover.actor.name : `${mover.label} (tracker)`;
      const intent = await events.intend(['backlog_item.status_changed', { itemId, backlogId: item.backlogId, from: item.status, to, note, byId: mover.actor?.id ?? null, byName, via: mover.via }]);
      const result = await BacklogItem.updateOne(
        { _id: itemId, status: item.status },
        {
          $set: { status: to },
          $push: { statusHistory: { from: item.status, to, note, at: new Date(), byId: mover.actor?.id ?? null, byName, via: mover.via, key: intent.mark } },
          $inc: { version: 1 },
        },
      );
      if (result.modifiedCount !== 1) {
        await intent.abandon();
        // Worded for the board and a tracker alike: both are told where the item is now.
        const now = (await catalog.refresh(itemId))?.status ?? item.status;
        throw new Conflict(message('backlogs.refusal.movedMeanwhile', { title: item.title, status: message(`common.itemStatusLabel.${now}`) }));
      }
      const moved = (await catalog.refresh(itemId))!;
      await followItem(moved, backlog?.name ?? item.backlogId, to, { actor: mover.actor, byName }, note);
      await recordAudit(mover.actor, {
        action: 'backlog_item.moved',
        targetType: 'backlog_item',
        targetId: itemId,
        targetLabel: item.title,
        before: { status: item.status },
        after: { status: to, via: mover.via },
        reason: note,
        byName,
      });
      await intent.done();
      return moved;
    },
  };
}

export type BacklogItems = ReturnType<typeof createBacklogItems>;
