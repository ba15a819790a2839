import { message } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import type { EventBus, EventSubscriptions } from '../../shared/events.ts';
import { Conflict, Forbidden, Invalid, isDuplicateKeyError } from '../../shared/errors.ts';
import { shownName } from '../../shared/personal-data.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import type { ChallengeView } from '../challenges/challenge-catalog.ts';
import type { Challenges } from '../challenges/challenges.service.ts';
import type { Comparisons } from '../community/comparisons.service.ts';
import type { IdeaBoard, IdeaCard } from '../ideas/idea-board.ts';
import { Idea } from '../ideas/idea.model.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import { canCurate, canReadShortlist, isShortlistFrozen, shortlistEditRefusal } from './curation.policy.ts';
import { Shortlist } from './shortlist.model.ts';

export type MoveDirection = 'up' | 'down';
type Entry = { ideaId: string; note: string; addedById: string; addedByName: string; at: Date };
type Stored = { version: number; entries: Entry[] };
type Change = { action: string; ideaId: string; title: string; before: unknown; after: unknown; reason: string };

type Deps = {
  challenges: Challenges;
  ideas: Ideas;
  board: IdeaBoard;
  comparisons: Comparisons;
  events: EventBus;
  directory: UserDirectory;
  /** Where the phase moves' effects subscribe: the outbox's `phases` consumer, so a crash after a move never loses them (the bus itself by default). */
  phaseEvents?: EventSubscriptions;
};

const stale = () => new Conflict(message('curation.shortlist.stale'));
const notListed = () => new Conflict(message('curation.shortlist.notListed'));
const label = (status: string) => message(`curation.status.${status}`);

async function read(challengeId: string): Promise<Stored> {
  const doc = await Shortlist.findById(challengeId).lean();
  return {
    version: doc?.version ?? 0,
    entries: (doc?.entries ?? []).map((entry) => ({ ideaId: String(entry.ideaId), note: entry.note ?? '', addedById: String(entry.addedById), addedByName: entry.addedByName, at: entry.at })),
  };
}

/** Rewrites the entries if no one wrote since `version` was read (the first write creates the list); false when someone did. */
async function write(challengeId: string, version: number, entries: Entry[]): Promise<boolean> {
  try {
    const result = await Shortlist.updateOne({ _id: challengeId, version }, { $set: { entries, version: version + 1 } }, { upsert: version === 0 });
    return result.modifiedCount + result.upsertedCount === 1;
  } catch (error) {
    // Two first writes at once: the second upsert collides with the document the first created.
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export function createShortlist(deps: Deps) {
  const { challenges, ideas, board, comparisons, events, directory } = deps;
  const { lifecycle } = ideas;

  /** The challenge, if the actor may change its shortlist now; once frozen, only with a reason. */
  async function editable(actor: Actor, challengeId: string, reason: string): Promise<ChallengeView> {
    const challenge = await challenges.visibleChallenge(actor, challengeId);
    const refusal = shortlistEditRefusal(actor, challenge);
    if (refusal) throw new Forbidden(refusal);
    if (isShortlistFrozen(challenge) && !reason.trim()) {
      throw new Invalid({ reason: message('curation.shortlist.giveReason') });
    }
    return challenge;
  }

  // When judging starts the shortlist is final: every approved idea not on it has its outcome
  // then, and a step back to curation opens the list (and those ideas) again.
  const byCopilots = { actor: null, byName: 'the copilots' };
  // Each move is conditional on the idea's status: applying the phase move again changes nothing.
  (deps.phaseEvents ?? events).on('challenge.phase_changed', async ({ challengeId, from, to }) => {
    const freezing = from === 'curation' && to === 'judging';
    if (!freezing && !(from === 'judging' && to === 'curation')) return;
    const listed = new Set((await read(challengeId)).entries.map((entry) => entry.ideaId));
    for (const card of await board.cards(challengeId)) {
      if (listed.has(card.id)) continue;
      if (freezing && card.status === 'approved') await lifecycle.notShortlisted(byCopilots, card.id);
      if (!freezing && card.status === 'not-shortlisted') await lifecycle.reconsider(byCopilots, card.id);
    }
  });

  async function titleOf(challengeId: string, ideaId: string): Promise<string> {
    return (await board.cards(challengeId)).find((card) => card.id === ideaId)?.title ?? 'an idea';
  }

  async function changed(actor: Actor, challenge: ChallengeView, change: Change) {
    await recordAudit(actor, {
      action: change.action,
      targetType: 'shortlist',
      targetId: challenge.id,
      targetLabel: `${challenge.title}: ${change.title}`,
      before: change.before,
      after: change.after,
      reason: change.reason,
    });
    events.emit('shortlist.changed', { challengeId: challenge.id, byId: actor.id });
  }

  /** Takes an entry off the list whatever else changed meanwhile (undoing an add whose idea moved on). */
  async function dropEntry(challengeId: string, ideaId: string) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const list = await read(challengeId);
      if (!list.entries.some((entry) => entry.ideaId === ideaId)) return;
      if (
        await write(
          challengeId,
          list.version,
          list.entries.filter((entry) => entry.ideaId !== ideaId),
        )
      )
        return;
    }
  }

  /** The entry's place on the list as read, or Conflict when it is gone. */
  async function listed(challengeId: string, ideaId: string) {
    const list = await read(challengeId);
    const index = list.entries.findIndex((entry) => entry.ideaId === ideaId);
    if (index < 0) throw notListed();
    return { list, index, entry: list.entries[index]! };
  }

  async function crowdSignal(challengeId: string, card: IdeaCard | undefined, ideaId: string) {
    return { votes: card?.votes ?? 0, crowd: await comparisons.ideaScore(challengeId, ideaId) };
  }

  return {
    /** The list in order with the crowd signal beside each idea, the approved ideas still outside it, and what the actor may do. */
    async view(actor: Actor, challengeId: string) {
      const challenge = await challenges.visibleChallenge(actor, challengeId);
      if (!canReadShortlist(actor, challenge)) throw new Forbidden(message('curation.shortlist.readRefused'));
      const [list, cards] = await Promise.all([read(challenge.id), board.cards(challenge.id)]);
      const byId = new Map(cards.map((card) => [card.id, card]));
      const onList = new Set(list.entries.map((entry) => entry.ideaId));
      const candidates = cards.filter((card) => card.status === 'approved' && !onList.has(card.id)).sort((a, b) => b.votes - a.votes || a.title.localeCompare(b.title));
      const people = await directory.people([...list.entries.flatMap((entry) => byId.get(entry.ideaId)?.authorIds ?? []), ...candidates.flatMap((card) => card.authorIds)]);
      const namesOf = (card: IdeaCard | undefined) => (card?.authorIds ?? []).map((id) => shownName(people.get(id)));
      const frozen = isShortlistFrozen(challenge);
      const refusal = shortlistEditRefusal(actor, challenge);
      return {
        challenge,
        frozen,
        // Frozen since curation ended (the last move out of it).
        frozenSince: frozen ? (challenge.phaseHistory.filter((move) => move.from === 'curation').at(-1)?.at ?? null) : null,
        refusal,
        // Dragging has no place for the reason a frozen list needs: there, Up and Down (with the reason) remain.
        can: { curate: canCurate(actor, challenge), edit: refusal === null, needsReason: frozen && refusal === null, drag: refusal === null && !frozen && list.entries.length > 1 },
        entries: await Promise.all(
          list.entries.map(async (entry, index) => {
            const card = byId.get(entry.ideaId);
            return {
              ...entry,
              position: index + 1,
              first: index === 0,
              last: index === list.entries.length - 1,
              title: card?.title ?? 'An idea no longer available',
              summary: card?.summary ?? '',
              authorNames: namesOf(card),
              status: card?.status ?? null,
              hidden: card?.hidden ?? false,
              ...(await crowdSignal(challenge.id, card, entry.ideaId)),
            };
          }),
        ),
        candidates: await Promise.all(
          candidates.map(async (card) => ({
            ideaId: card.id,
            title: card.title,
            summary: card.summary,
            authorNames: namesOf(card),
            hidden: card.hidden,
            ...(await crowdSignal(challenge.id, card, card.id)),
          })),
        ),
      };
    },

    /** Puts an approved idea at the end of the list; adding one already there changes nothing. */
    async add(actor: Actor, challengeId: string, ideaId: string, note: string, reason = ''): Promise<{ added: boolean; title: string }> {
      const challenge = await editable(actor, challengeId, reason);
      const { idea } = await ideas.visibleIdea(actor, ideaId);
      if (String(idea.challengeId) !== challenge.id) throw new Invalid({ ideaId: message('curation.refusal.otherChallenge') }, message('curation.refusal.otherChallenge'));
      const list = await read(challenge.id);
      const isListed = (entries: Entry[]) => entries.some((entry) => entry.ideaId === ideaId);
      if (isListed(list.entries)) return { added: false, title: idea.title };
      if (idea.status !== 'approved' && idea.status !== 'not-shortlisted') {
        const refusal = message('curation.shortlist.onlyApproved', { status: label(idea.status) });
        throw new Invalid({ ideaId: refusal }, refusal);
      }
      const entry: Entry = { ideaId, note, addedById: actor.id, addedByName: actor.name, at: new Date() };
      if (!(await write(challenge.id, list.version, [...list.entries, entry]))) {
        // The same idea added by a parallel request counts as done; any other change makes the page stale.
        if (isListed((await read(challenge.id)).entries)) return { added: false, title: idea.title };
        throw stale();
      }
      if (!(await lifecycle.shortlist({ actor }, ideaId))) {
        await dropEntry(challenge.id, ideaId);
        const now = await Idea.findById(ideaId).lean();
        throw new Conflict(
          now ? message('curation.shortlist.changedMeanwhileNow', { title: idea.title, status: label(now.status) }) : message('curation.shortlist.changedMeanwhile', { title: idea.title }),
        );
      }
      await changed(actor, challenge, {
        action: 'shortlist.add',
        ideaId,
        title: idea.title,
        before: { ideaId, status: idea.status },
        after: { ideaId, status: 'shortlisted', position: list.entries.length + 1, note },
        reason,
      });
      return { added: true, title: idea.title };
    },

    /** Takes an idea off the list: approved again, in the running for a later list, or, once the list is final, not shortlisted (`final`). */
    async remove(actor: Actor, challengeId: string, ideaId: string, reason = ''): Promise<{ title: string; final: boolean }> {
      const challenge = await editable(actor, challengeId, reason);
      const { list, index, entry } = await listed(challenge.id, ideaId);
      if (
        !(await write(
          challenge.id,
          list.version,
          list.entries.filter((other) => other.ideaId !== ideaId),
        ))
      )
        throw stale();
      // Once frozen, the shortlist is final: an idea taken off it, scored or not, has its outcome
      // at once, in one move. Before, it is approved again, in the running for the list.
      if (isShortlistFrozen(challenge)) await lifecycle.leaveFinalShortlist({ actor }, ideaId, reason);
      else await lifecycle.dropFromShortlist({ actor }, ideaId);
      const title = await titleOf(challenge.id, ideaId);
      await changed(actor, challenge, {
        action: 'shortlist.remove',
        ideaId,
        title,
        before: { ideaId, position: index + 1, note: entry.note },
        after: { ideaId, status: isShortlistFrozen(challenge) ? 'not-shortlisted' : 'approved' },
        reason,
      });
      return { title, final: isShortlistFrozen(challenge) };
    },

    /** Swaps the idea with its neighbour above or below; at either end nothing moves. */
    async move(actor: Actor, challengeId: string, ideaId: string, direction: MoveDirection, reason = ''): Promise<{ moved: boolean; title: string }> {
      const challenge = await editable(actor, challengeId, reason);
      const { list, index } = await listed(challenge.id, ideaId);
      const title = await titleOf(challenge.id, ideaId);
      const to = direction === 'up' ? index - 1 : index + 1;
      if (to < 0 || to >= list.entries.length) return { moved: false, title };
      const entries = [...list.entries];
      [entries[index], entries[to]] = [entries[to]!, entries[index]!];
      if (!(await write(challenge.id, list.version, entries))) throw stale();
      await changed(actor, challenge, { action: 'shortlist.move', ideaId, title, before: { ideaId, position: index + 1 }, after: { ideaId, position: to + 1 }, reason });
      return { moved: true, title };
    },

    /**
     * Puts the list in the order given (a drag and drop). The order must name exactly the ideas on
     * the list now: one added or removed meanwhile means the page was stale, and nothing moves.
     */
    async reorder(actor: Actor, challengeId: string, order: string[], reason = ''): Promise<{ moved: boolean }> {
      const challenge = await editable(actor, challengeId, reason);
      const list = await read(challenge.id);
      const byId = new Map(list.entries.map((entry) => [entry.ideaId, entry]));
      if (order.length !== byId.size || new Set(order).size !== order.length || !order.every((ideaId) => byId.has(ideaId))) throw stale();
      const before = list.entries.map((entry) => entry.ideaId);
      if (order.every((ideaId, at) => before[at] === ideaId)) return { moved: false };
      if (
        !(await write(
          challenge.id,
          list.version,
          order.map((ideaId) => byId.get(ideaId)!),
        ))
      )
        throw stale();
      await changed(actor, challenge, { action: 'shortlist.reorder', ideaId: '', title: 'new order', before: { order: before }, after: { order }, reason });
      return { moved: true };
    },

    /** Changes the note the judges read beside the idea. */
    async setNote(actor: Actor, challengeId: string, ideaId: string, note: string, reason = ''): Promise<{ title: string }> {
      const challenge = await editable(actor, challengeId, reason);
      const { list, index, entry } = await listed(challenge.id, ideaId);
      const title = await titleOf(challenge.id, ideaId);
      if (entry.note === note) return { title };
      const entries = list.entries.map((other, at) => (at === index ? { ...other, note } : other));
      if (!(await write(challenge.id, list.version, entries))) throw stale();
      await changed(actor, challenge, { action: 'shortlist.note', ideaId, title, before: { ideaId, note: entry.note }, after: { ideaId, note }, reason });
      return { title };
    },
  };
}

export type ShortlistService = ReturnType<typeof createShortlist>;
