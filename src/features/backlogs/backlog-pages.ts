import mongoose from 'mongoose';
import { isStaff, type Actor, type MaybeActor } from '../../shared/actor.ts';
import { Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import { shownName } from '../../shared/personal-data.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeCatalog } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { IdeaBoard } from '../ideas/idea-board.ts';
import { outcomeCounts } from '../ideas/idea-status.ts';
import { Idea } from '../ideas/idea.model.ts';
import { canSeeIdea } from '../ideas/ideas.policy.ts';
import { accessOf } from '../ideas/ideas.service.ts';
import type { Backlogs, BacklogView } from './backlogs.service.ts';
import { canMoveItems, canPromoteInto, canSeeBoards, isOwner } from './backlogs.policy.ts';
import type { ItemCatalog, ItemView } from './item-catalog.ts';
import { itemNoteText, latestItemNote } from './item-notes.ts';
import { allowedMoves, ITEM_STATUS_LABELS, ITEM_STATUSES, type ItemStatus } from './workflow.ts';
import { message } from '../../i18n/i18n.ts';

type Deps = { challenges: Challenges; challengeCatalog: ChallengeCatalog; board: IdeaBoard; backlogs: Backlogs; items: ItemCatalog; directory: UserDirectory };

export type BoardFilters = { challengeId: string; tag: string; segment: string };

/** Shipped first, then what is closest to shipping; declined last. */
const OUTCOME_ORDER: ItemStatus[] = ['shipped', 'in-progress', 'planned', 'accepted', 'proposed', 'declined'];

/** What boards, item pages and Outcomes pages show, from the in-memory items. */
export function createBacklogPages(deps: Deps) {
  const { challenges, challengeCatalog, board, backlogs, items, directory } = deps;

  /** The source ideas of an item the actor may see, with their titles. */
  async function visibleSources(actor: MaybeActor, item: ItemView) {
    const shown: Array<{ id: string; title: string; challengeId: string; status: string }> = [];
    for (const ideaId of item.sourceIdeaIds) {
      const idea = mongoose.isValidObjectId(ideaId) ? await Idea.findById(ideaId).lean() : null;
      const challenge = idea ? await challengeCatalog.get(String(idea.challengeId)) : undefined;
      if (idea && challenge && canSeeIdea(actor, accessOf(idea), challenge)) shown.push({ id: ideaId, title: idea.title, challengeId: String(idea.challengeId), status: idea.status });
    }
    return shown;
  }

  const shippedAt = (item: ItemView) => [...item.statusHistory].reverse().find((change) => change.to === 'shipped')?.at ?? null;

  return {
    /** The backlogs the actor may work on, with their item counts. */
    async overview(actor: Actor) {
      const all = await backlogs.list();
      if (!canSeeBoards(actor, all)) throw new Forbidden(message('backlogs.refusal.seeBacklogs'));
      const every = await items.all();
      const people = await directory.people(all.flatMap((backlog) => backlog.ownerIds));
      return all.map((backlog) => ({
        ...backlog,
        owners: backlog.ownerIds.map((id) => shownName(people.get(id))),
        count: every.filter((item) => item.backlogId === backlog.id).length,
        mine: isOwner(actor, backlog),
      }));
    },

    /** A backlog's board: its items in columns by status, filtered by challenge, tag or contributors' segment. */
    async board(actor: Actor, backlogId: string, filters: BoardFilters) {
      const backlog = await backlogs.get(backlogId);
      if (!canSeeBoards(actor, [backlog])) throw new Forbidden(message('backlogs.refusal.seeBoard'));
      const all = (await items.all()).filter((item) => item.backlogId === backlog.id);
      const people = await directory.people([...new Set(all.flatMap((item) => item.contributorIds))]);
      const segments = [...new Set([...people.values()].map((person) => person.segment).filter(Boolean))].sort();
      const tags = [...new Set(all.flatMap((item) => item.tags))].sort();
      const challengeViews = await Promise.all([...new Set(all.flatMap((item) => item.challengeIds))].map((id) => challengeCatalog.get(id)));
      const knownChallenges = challengeViews.filter((challenge) => challenge !== undefined).map((challenge) => ({ id: challenge!.id, title: challenge!.title }));
      if (filters.segment && !segments.includes(filters.segment)) throw new Invalid({ segment: message('backlogs.refusal.segment') });
      const shown = all.filter(
        (item) =>
          (!filters.challengeId || item.challengeIds.includes(filters.challengeId)) &&
          (!filters.tag || item.tags.includes(filters.tag)) &&
          (!filters.segment || item.contributorIds.some((id) => people.get(id)?.segment === filters.segment)),
      );
      const movable = canMoveItems(actor, backlog);
      // `view`: the catalog's own object, replaced when the item changes, which its card's rendering is kept with (board.hbs).
      return {
        backlog,
        movable,
        filters,
        segments,
        tags,
        challenges: knownChallenges,
        columns: ITEM_STATUSES.map((status) => ({
          status,
          label: ITEM_STATUS_LABELS[status],
          items: shown
            .filter((item) => item.status === status)
            .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
            .map((item) => ({ ...item, view: item, moves: movable ? allowedMoves(item.status).map((to) => ({ to, label: ITEM_STATUS_LABELS[to] })) : [], contributors: item.contributorIds.length })),
        })),
      };
    },

    /** An item's page: for staff and owners, and for anyone who may see one of its source ideas. */
    async item(actor: MaybeActor, itemId: string) {
      const item = mongoose.isValidObjectId(itemId) ? await items.get(itemId) : undefined;
      if (!item) throw new NotFound(message('backlogs.refusal.noItem'));
      const backlog = await backlogs.get(item.backlogId);
      const team = actor !== null && canSeeBoards(actor, [backlog]);
      const sources = await visibleSources(actor, item);
      if (!team && sources.length === 0) throw new NotFound(message('backlogs.refusal.noItem'));
      const people = await directory.people(item.contributorIds);
      return {
        item: { ...item, statusLabel: ITEM_STATUS_LABELS[item.status] },
        backlog,
        sources,
        contributors: item.contributorIds.map((id) => shownName(people.get(id))),
        history: item.statusHistory.map((change) => ({ ...change, note: itemNoteText(change), label: ITEM_STATUS_LABELS[change.to] })),
        moves: actor && canMoveItems(actor, backlog) ? allowedMoves(item.status).map((to) => ({ to, label: ITEM_STATUS_LABELS[to] })) : [],
        team,
      };
    },

    /** "You said, we did": what became of a challenge's ideas, shipped first, for everyone who may see the challenge. */
    async outcomes(actor: MaybeActor, challengeId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      const fed = (await items.all()).filter((item) => item.challengeIds.includes(challenge.id));
      const shown = [];
      for (const item of fed.sort((a, b) => OUTCOME_ORDER.indexOf(a.status) - OUTCOME_ORDER.indexOf(b.status) || b.updatedAt.getTime() - a.updatedAt.getTime())) {
        const sources = (await visibleSources(actor, item)).filter((source) => source.challengeId === challenge.id);
        if (sources.length === 0) continue;
        const people = await directory.people(item.contributorIds);
        shown.push({
          id: item.id,
          title: item.title,
          status: item.status,
          statusLabel: ITEM_STATUS_LABELS[item.status],
          note: latestItemNote(item),
          shippedAt: shippedAt(item),
          backlogId: item.backlogId,
          sources,
          contributors: item.contributorIds.map((id) => shownName(people.get(id))),
        });
      }
      // Counts only, so they may include ideas the reader cannot open (sealed, hidden): no title shows.
      const statuses = (await board.cards(challenge.id)).map((card) => card.status).filter((status) => status !== 'draft');
      return { challenge, items: shown, shipped: shown.filter((item) => item.status === 'shipped').length, outcomes: outcomeCounts(statuses, challenge.phase), ideaCount: statuses.length };
    },

    /** Where an idea went: the backlog items it feeds, with their status and latest public note. */
    async itemsOfIdea(promotedTo: ReadonlyArray<{ itemId?: unknown }> | undefined) {
      if (!promotedTo?.length) return [];
      const found = await Promise.all(promotedTo.map((entry) => items.get(String(entry.itemId))));
      // The backlog as people name it ("Product"), not its key ("product").
      const names = new Map((await backlogs.list()).map((backlog) => [backlog.id, backlog.name]));
      return found
        .filter((item): item is ItemView => item !== undefined)
        .map((item) => ({
          id: item.id,
          title: item.title,
          backlogId: item.backlogId,
          backlogName: names.get(item.backlogId) ?? item.backlogId,
          status: item.status,
          statusLabel: ITEM_STATUS_LABELS[item.status],
          note: latestItemNote(item),
        }));
    },

    /** Backlogs the actor may promote into, the challenge's own kind first. */
    async promotionTargets(actor: MaybeActor, preferred: string): Promise<BacklogView[]> {
      // Owners must be staff, so nobody else may promote: the idea page then reads no backlogs.
      if (!isStaff(actor)) return [];
      const all = (await backlogs.list()).filter((backlog) => canPromoteInto(actor, backlog));
      return all.sort((a, b) => (a.id === preferred ? -1 : b.id === preferred ? 1 : 0));
    },
  };
}

export type BacklogPages = ReturnType<typeof createBacklogPages>;
