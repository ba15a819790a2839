import mongoose from 'mongoose';
import { message, type Text } from '../../i18n/i18n.ts';
import type { MaybeActor } from '../../shared/actor.ts';
import type { EventBus, PlannedEvent } from '../../shared/events.ts';
import { createCoalescer } from '../../shared/coalesce.ts';
import { recordAudit, type AuditInput } from '../audit/audit.service.ts';
import { storedNote } from './history-notes.ts';
import type { IdeaBoard } from './idea-board.ts';
import { Idea, type HideCause, type IdeaStatus } from './idea.model.ts';
import { IDEA_TRANSITIONS, type IdeaIntent } from './idea-transitions.ts';

/** Who moved the idea, as its history shows it: a person, or a named process ("the judges", a tracker). */
export type Mover = { actor: MaybeActor; byName?: string };

type Move = {
  /** Why, in words the authors read in the idea's history: a person's, or a message of Cocreate's (history-notes.ts). */
  note: Text;
  /** Narrows the transition's own `from` statuses (e.g. the status a copilot read). */
  from?: readonly IdeaStatus[];
  /** Where `to: null` intents lead: the status recorded before. */
  to?: IdeaStatus;
  /** More conditions the idea must still meet, as read by the caller (its revision, its merge target). */
  where?: Record<string, unknown>;
  set?: Record<string, unknown>;
  /** Events the same move causes (a screening decision, a merge), announced with it: they stand or fall with the move. */
  also?: PlannedEvent[];
  /** Written to the audit log with the real before and after statuses. */
  audit?: Omit<AuditInput, 'targetType' | 'targetId' | 'before'> & { after?: Record<string, unknown> };
};

export type HiddenState = { cause: HideCause; reason: string; at: Date; byName: string; key?: string };

/**
 * The only writer of the Idea outside its own editing and submission (ideas.service.ts). Each
 * intent is one conditional update from the statuses idea-transitions.ts allows, with its history
 * entry, the board here, other processes told (`idea.saved`), the audit record and the
 * `idea.status_changed` event, in that order and in this one place.
 */
export function createIdeaLifecycle(deps: { events: EventBus; board: IdeaBoard }) {
  const { events, board } = deps;

  /** After any write: this process's board, then other processes and live pages through `idea.saved`. */
  async function refresh(ideaId: string) {
    const idea = await Idea.findById(ideaId).lean();
    return idea && published(idea);
  }

  /** `refresh` for an idea the write itself returned as it is now. */
  async function published<T extends Parameters<IdeaBoard['put']>[0]>(idea: T): Promise<T> {
    await board.put(idea);
    await events.emit('idea.saved', { ideaId: String(idea._id), challengeId: String(idea.challengeId) });
    return idea;
  }

  /**
   * Votes are the crowd's most frequent write. Alone, a count is one round trip that returns the
   * idea. Counts made at about the same time by concurrent votes go in one command of a `$inc` per
   * idea, and the ideas are read back in one query by their ids: the embedded engine takes its one
   * write lock per command, and 20 updates in one command cost it about half of 20 sent one by one
   * (scripts/bench/engine-ops.ts), the query about one update's worth.
   */
  const countTogether = createCoalescer(async (_key: string, counts: Array<{ ideaId: string; by: number }>) => {
    if (counts.length === 1) {
      const [{ ideaId, by }] = counts as [{ ideaId: string; by: number }];
      const idea = await Idea.findOneAndUpdate({ _id: ideaId }, { $inc: { voteCount: by } }, { returnDocument: 'after' }).lean();
      if (idea) await board.put(idea);
      return [idea];
    }
    const byIdea = new Map<string, number>();
    for (const { ideaId, by } of counts) byIdea.set(ideaId, (byIdea.get(ideaId) ?? 0) + by);
    await Idea.bulkWrite(
      [...byIdea].map(([ideaId, by]) => ({ updateOne: { filter: { _id: ideaId }, update: { $inc: { voteCount: by } } } })),
      { ordered: false },
    );
    const ideas = new Map((await Idea.find({ _id: mongoose.trusted({ $in: [...byIdea.keys()] }) }).lean()).map((idea) => [String(idea._id), idea]));
    for (const idea of ideas.values()) await board.put(idea);
    return counts.map(({ ideaId }) => ideas.get(ideaId) ?? null);
  });

  /** Moves the idea by `intent` if it is still where the caller read it; the idea after, or null when it was not. */
  async function move(intent: IdeaIntent, ideaId: string, by: Mover, change: Move) {
    const transition = IDEA_TRANSITIONS[intent];
    const allowed = (transition.from as readonly IdeaStatus[]).filter((status) => !change.from || change.from.includes(status));
    const to = transition.to ?? change.to;
    if (!to || allowed.length === 0 || !mongoose.isValidObjectId(ideaId)) return null;
    const at = new Date();
    const byName = by.byName ?? by.actor?.name ?? 'Cocreate';
    // Announced before the update, which stores the mark in the history entry it pushes; the
    // challenge and the status moved from are known after it (and read from the idea elsewhere).
    const announced = await events.intend(['idea.status_changed', { ideaId, challengeId: '', from: null, to }], ...(change.also ?? []));
    // From one status only (a screening decision), the status before is known: the update returns
    // the idea after it, which the board takes as it is, where reading it again cost a round trip.
    const onlyFrom = allowed.length === 1 ? allowed[0] : undefined;
    const returned = await Idea.findOneAndUpdate(
      { _id: ideaId, status: mongoose.trusted({ $in: allowed }), ...change.where },
      { $set: { status: to, ...change.set }, $push: { statusHistory: { status: to, at, byId: by.actor?.id ?? null, byName, ...storedNote(change.note), key: announced.mark } } },
      { returnDocument: onlyFrom ? 'after' : 'before' },
    ).lean();
    if (!returned) {
      await announced.abandon();
      return null;
    }
    const after = onlyFrom ? await published(returned) : await refresh(ideaId);
    const from = onlyFrom ?? returned.status;
    const challengeId = String(returned.challengeId);
    if (change.audit) {
      await recordAudit(by.actor, {
        ...change.audit,
        targetType: 'idea',
        targetId: ideaId,
        targetLabel: change.audit.targetLabel ?? returned.title,
        before: { status: from },
        after: { status: to, ...change.audit.after },
        byName,
      });
    }
    await announced.done({ challengeId, from, authorId: String(returned.authorId), tags: returned.tags });
    return after;
  }

  return {
    refresh,

    /** A copilot's screening decision, conditional on the revision they read. */
    decide(by: Mover, ideaId: string, intent: 'approve' | 'requestChanges' | 'reject', change: Move & { also: [PlannedEvent] }) {
      return move(intent, ideaId, by, change);
    },

    /** Marks a duplicate merged into `targetId` (the votes, follows and credits move in curation's merge). */
    markMerged(by: Mover, ideaId: string, from: IdeaStatus, targetId: string, change: Pick<Move, 'note' | 'audit'>) {
      return move('merge', ideaId, by, { ...change, from: [from], where: { mergedInto: null }, set: { mergedInto: new mongoose.Types.ObjectId(targetId) } });
    },

    /** Gives a merged idea back the status it had, if it is still merged into `targetId`. */
    unmerge(by: Mover, ideaId: string, targetId: string, previous: IdeaStatus, change: Pick<Move, 'note' | 'audit' | 'also'>) {
      return move('unmerge', ideaId, by, { ...change, to: previous, where: { mergedInto: new mongoose.Types.ObjectId(targetId) }, set: { mergedInto: null } });
    },

    /** Credits a merged duplicate on its target, if the target still takes merges; false when it does not. */
    async linkMerged(targetId: string, duplicateId: string, contributorIds: string[]): Promise<boolean> {
      const linked = await Idea.updateOne(
        { _id: targetId, status: mongoose.trusted({ $nin: ['merged', 'rejected', 'draft'] }), 'hidden.cause': mongoose.trusted({ $ne: 'removed' }) },
        {
          $addToSet: { mergedFrom: new mongoose.Types.ObjectId(duplicateId) },
          $push: { contributors: { $each: contributorIds.map((userId) => ({ userId: new mongoose.Types.ObjectId(userId), fromIdeaId: new mongoose.Types.ObjectId(duplicateId) })) } },
        },
      );
      return linked.modifiedCount === 1;
    },

    /** Takes back a merge mark that could not be completed (its target changed meanwhile). */
    async undoMergeMark(ideaId: string, targetId: string, previous: IdeaStatus) {
      await Idea.updateOne({ _id: ideaId, status: 'merged', mergedInto: new mongoose.Types.ObjectId(targetId) }, { $set: { status: previous, mergedInto: null }, $pop: { statusHistory: 1 } });
    },

    /** Removes the duplicate's credits from its former target, conditional on the target as read; false when it kept changing. */
    async unlinkMerged(targetId: string, duplicateId: string): Promise<boolean> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const target = await Idea.findById(targetId).lean();
        if (!target) return true;
        const result = await Idea.updateOne(
          { _id: targetId, updatedAt: target.updatedAt },
          {
            $set: {
              contributors: (target.contributors ?? []).filter((c) => String(c.fromIdeaId) !== duplicateId),
              mergedFrom: (target.mergedFrom ?? []).filter((id) => String(id) !== duplicateId),
            },
          },
        );
        if (result.matchedCount === 1) return true;
      }
      return false;
    },

    /** The vote count follows the votes collection (the truth); +n for votes cast or moved in, −n for withdrawn. The idea after it, or null. */
    countVotes: (ideaId: string, by: number) => countTogether('votes', { ideaId, by }),

    /** The idea's open report count, for the copilots' "reported" filter ($max: parallel reports land out of order). */
    async countReports(ideaId: string, count: number) {
      await Idea.updateOne({ _id: ideaId }, { $max: { openReports: count } });
      await refresh(ideaId);
    },

    async clearReports(ideaId: string) {
      await Idea.updateOne({ _id: ideaId }, { $set: { openReports: 0 } });
      await refresh(ideaId);
    },

    /** A comment of the idea has an open report tally (or no longer has one): the queue counts reported comments too. */
    async markCommentReported(ideaId: string, commentId: string, reported: boolean) {
      await Idea.updateOne({ _id: ideaId }, reported ? { $addToSet: { reportedCommentIds: commentId } } : { $pull: { reportedCommentIds: commentId } });
      await refresh(ideaId);
    },

    /** Sets or clears the idea's hidden state if it is still `before`; false when someone changed it first. */
    async setHidden(ideaId: string, before: HiddenState | null, next: HiddenState | null): Promise<boolean> {
      const filter = before ? { _id: ideaId, 'hidden.cause': before.cause, 'hidden.at': before.at } : { _id: ideaId, hidden: null };
      const result = await Idea.updateOne(filter, { $set: { hidden: next } });
      if (result.modifiedCount !== 1) return false;
      await refresh(ideaId);
      return true;
    },

    shortlist: (by: Mover, ideaId: string) => move('shortlist', ideaId, by, { note: message('ideaHistory.shortlisted') }),
    dropFromShortlist: (by: Mover, ideaId: string) => move('dropFromShortlist', ideaId, by, { note: message('ideaHistory.droppedFromShortlist') }),
    /** An approved idea that did not make the shortlist when it froze (Cocreate says why). */
    notShortlisted: (by: Mover, ideaId: string) => move('notShortlisted', ideaId, by, { note: message('ideaHistory.shortlistFinal') }),
    /** A shortlisted idea taken off the list after it froze, with staff's reason; its scorecards stay stored, out of the ranking. */
    leaveFinalShortlist: (by: Mover, ideaId: string, reason: string) => move('leaveFinalShortlist', ideaId, by, { note: reason }),
    /** The shortlist opens again (the challenge went back to curation). */
    reconsider: (by: Mover, ideaId: string) => move('reconsider', ideaId, by, { note: message('ideaHistory.shortlistOpen') }),
    /** Every judge assigned has submitted a scorecard. */
    markScored: (ideaId: string) => move('markScored', ideaId, { actor: null, byName: 'the judges' }, { note: '' }),
    crown: (by: Mover, ideaId: string, tier: string) => move('crown', ideaId, by, { note: message('ideaHistory.won', { tier }) }),
    /** A winner taken back after the announcement is, like the other shortlisted ideas, not among the winners. */
    uncrown: (by: Mover, ideaId: string, reason: string) => move('uncrown', ideaId, by, { note: message('ideaHistory.noLongerWinner', { reason }) }),
    /** When winners are announced: a shortlisted idea that won no prize. */
    notAwarded: (by: Mover, ideaId: string) => move('notAwarded', ideaId, by, { note: message('ideaHistory.notAwarded') }),

    /** Records the backlog item the idea feeds; the idea becomes "promoted" if it was not further along. */
    async promote(by: Mover, ideaId: string, into: { backlogId: string; backlogName: string; itemId: string }, audit: Move['audit']) {
      await Idea.updateOne({ _id: ideaId }, { $addToSet: { promotedTo: { backlogId: into.backlogId, itemId: new mongoose.Types.ObjectId(into.itemId) } } });
      const moved = await move('promote', ideaId, by, { note: message('ideaHistory.inBacklog', { backlog: into.backlogName }), audit });
      if (moved) return moved;
      if (audit) await recordAudit(by.actor, { ...audit, targetType: 'idea', targetId: ideaId });
      return refresh(ideaId);
    },

    /** A source idea follows its backlog item: shipped, declined, or back in the backlog. */
    followItem(by: Mover, ideaId: string, status: 'promoted' | 'shipped' | 'declined', note: Text) {
      const intent: IdeaIntent = status === 'shipped' ? 'ship' : status === 'declined' ? 'decline' : 'backToBacklog';
      return move(intent, ideaId, by, { note });
    },
  };
}

export type IdeaLifecycle = ReturnType<typeof createIdeaLifecycle>;
