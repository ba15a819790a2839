import mongoose from 'mongoose';
import { createCoalescer } from '../../shared/coalesce.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import type { EventSubscriptions } from '../../shared/events.ts';
import { CommentThread } from '../community/comment.model.ts';
import { Comparison } from '../community/comparison.model.ts';
import { Vote, voteId } from '../community/vote.model.ts';
import { Idea } from '../ideas/idea.model.ts';
import { ACTIVITY_CAP, IndividualActivity, LIST_OF, type ActivityEntry, type ActivityType } from './individual-activity.model.ts';

type Lists = Record<'votes' | 'comments' | 'comparisons', ActivityEntry[]>;
const emptyLists = (): Lists => ({ votes: [], comments: [], comparisons: [] });

/** Oldest first (ties by ref, so a rebuild orders them as the events did), the latest ACTIVITY_CAP kept. */
function capped(entries: ActivityEntry[]): ActivityEntry[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return sorted.slice(-ACTIVITY_CAP);
}

const voteEntry = (vote: { _id: string; ideaId: unknown; challengeId: unknown; at: Date }): ActivityEntry => ({
  type: 'vote',
  ref: vote._id,
  ideaId: String(vote.ideaId),
  challengeId: String(vote.challengeId),
  at: vote.at,
});

const commentEntry = (comment: { id: string; createdAt: Date }, ideaId: string, challengeId: string): ActivityEntry => ({
  type: 'comment',
  ref: comment.id,
  ideaId,
  challengeId,
  at: comment.createdAt,
});

const comparisonEntry = (record: { _id: string; challengeId: unknown; ideaIds: unknown[]; winnerId?: unknown; at: Date }): ActivityEntry => ({
  type: 'comparison',
  ref: record._id,
  ideaId: String(record.ideaIds[0]),
  otherIdeaId: String(record.ideaIds[1]),
  challengeId: String(record.challengeId),
  winnerId: record.winnerId ? String(record.winnerId) : null,
  at: record.at,
});

/** One source to mirror: the person's list of `type` holds `ref` exactly when `load` finds it. */
type Sync = { type: ActivityType; ref: string; load: () => Promise<ActivityEntry | null> };

/**
 * Makes the person's lists hold each sync's `ref` exactly when its source says so. The index is
 * read before the sources and written conditionally on its version: a later change to the same
 * source (a vote withdrawn meanwhile) either lands first and bumps the version, or runs its own
 * sync after.
 */
async function syncEntries(userId: string, syncs: Sync[]): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const doc = await IndividualActivity.findById(userId).lean();
    const entries = await Promise.all(syncs.map((sync) => sync.load()));
    const lists: Lists = doc ? { votes: doc.votes as ActivityEntry[], comments: doc.comments as ActivityEntry[], comparisons: doc.comparisons as ActivityEntry[] } : emptyLists();
    const touched = new Set<keyof Lists>();
    for (const [index, sync] of syncs.entries()) {
      const list = LIST_OF[sync.type];
      const entry = entries[index];
      if (!entry && !lists[list].some((existing) => existing.ref === sync.ref)) continue;
      lists[list] = [...lists[list].filter((existing) => existing.ref !== sync.ref), ...(entry ? [entry] : [])];
      touched.add(list);
    }
    if (touched.size === 0) return;
    const set = Object.fromEntries([...touched].map((list) => [list, capped(lists[list])]));
    if (!doc) {
      try {
        await IndividualActivity.create({ _id: userId, ...emptyLists(), ...set, version: 1 });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
    }
    const result = await IndividualActivity.updateOne({ _id: userId, version: doc.version }, { $set: set, $inc: { version: 1 } });
    if (result.modifiedCount === 1) return;
  }
  throw new Error(`The activity index of ${userId} kept changing under an update of ${syncs.length} entries.`);
}

/**
 * A person voting or commenting fast (or a script acting as them) sets off syncs of one index at
 * once: one at a time in one read-modify-write each, they would fail each other's version check
 * and retry, each retry rewriting the whole index. Those arriving together go as one.
 */
const syncTogether = createCoalescer(async (userId: string, syncs: Sync[]) => {
  await syncEntries(userId, syncs);
  return syncs.map(() => undefined);
});

const syncEntry = (userId: string, type: ActivityType, ref: string, load: Sync['load']) => syncTogether(userId, { type, ref, load });

/** Keeps each person's activity index current from the domain events. */
export function trackIndividualActivity(events: EventSubscriptions): void {
  events.on('idea.voted', ({ ideaId, userId }) => {
    const id = voteId(ideaId, userId);
    return syncEntry(userId, 'vote', id, async () => {
      const vote = await Vote.findById(id).lean();
      // A vote a merge copied onto the target is not the voter's act: their own vote stays on the duplicate.
      return vote && !vote.viaMergeOf ? voteEntry(vote) : null;
    });
  });

  events.on('comment.added', ({ ideaId, challengeId, commentId, authorId }) =>
    syncEntry(authorId, 'comment', commentId, async () => {
      const comment = (await CommentThread.findById(ideaId).lean())?.comments.find((candidate) => candidate.id === commentId);
      return comment ? commentEntry(comment, ideaId, challengeId) : null;
    }),
  );

  events.on('comparison.recorded', async ({ comparisonId }) => {
    const record = await Comparison.findById(comparisonId).lean();
    if (!record) return;
    await syncEntry(String(record.memberId), 'comparison', comparisonId, async () => comparisonEntry(record));
  });
}

/**
 * Recomputes every person's activity index from the votes, the ideas' comment threads and the
 * comparisons, in one pass over each (for `npm run rebuild-insights`, or after a restore).
 */
export async function rebuildActivity(progress: (step: string) => void = () => undefined): Promise<{ people: number }> {
  const people = new Map<string, Lists>();
  const add = (userId: string, entry: ActivityEntry) => {
    let lists = people.get(userId);
    if (!lists) people.set(userId, (lists = emptyLists()));
    lists[LIST_OF[entry.type]].push(entry);
  };

  for await (const vote of Vote.find({}).lean().cursor()) {
    if (!vote.viaMergeOf) add(String(vote.userId), voteEntry(vote));
  }
  const challengeOfIdea = new Map<string, string>();
  for await (const idea of Idea.find({}, { challengeId: 1 }).lean().cursor()) challengeOfIdea.set(String(idea._id), String(idea.challengeId));
  for await (const thread of CommentThread.find({}).lean().cursor()) {
    // Challenge threads (`challenge:<id>`) hold questions and announcements, not comments on ideas.
    const challengeId = challengeOfIdea.get(thread._id);
    if (!challengeId) continue;
    for (const comment of thread.comments) add(String(comment.authorId), commentEntry(comment, thread._id, challengeId));
  }
  for await (const record of Comparison.find({}).lean().cursor()) add(String(record.memberId), comparisonEntry(record));

  const stale = new Set((await IndividualActivity.find({}, { _id: 1 }).lean()).map((doc) => doc._id));
  let written = 0;
  for (const [userId, lists] of people) {
    if (written++ % 500 === 0) progress(`writing the activity of ${people.size} people: ${written - 1} done`);
    stale.delete(userId);
    const set = { votes: capped(lists.votes), comments: capped(lists.comments), comparisons: capped(lists.comparisons) };
    await IndividualActivity.updateOne({ _id: userId }, { $set: set, $inc: { version: 1 } }, { upsert: true });
  }
  for (const userId of stale) await IndividualActivity.deleteOne({ _id: userId });
  return { people: people.size };
}

/** One person's index (empty lists when they never did anything). */
export async function activityOf(userId: string): Promise<Lists> {
  const doc = mongoose.isValidObjectId(userId) ? await IndividualActivity.findById(userId).lean() : null;
  return doc ? { votes: doc.votes as ActivityEntry[], comments: doc.comments as ActivityEntry[], comparisons: doc.comparisons as ActivityEntry[] } : emptyLists();
}
