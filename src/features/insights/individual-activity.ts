import mongoose from 'mongoose';
import { appliedEvent } from '../../shared/applying-event.ts';
import { createCoalescer } from '../../shared/coalesce.ts';
import { isDuplicateKeyError } from '../../shared/errors.ts';
import { createKeyedCache } from '../../shared/keyed-cache.ts';
import type { EventSubscriptions } from '../../shared/events.ts';
import { CommentThread } from '../community/comment.model.ts';
import { Comparison } from '../community/comparison.model.ts';
import { Vote, voteId } from '../community/vote.model.ts';
import { Idea } from '../ideas/idea.model.ts';
import {
  ACTIVITY_CAP,
  activityBucketId,
  activityBucketIds,
  ActivityBucket,
  BUCKET_CAP,
  entryOf,
  freshVersion,
  IndividualActivity,
  LIST_OF,
  storedEntry,
  type ActivityEntry,
  type ActivityType,
} from './individual-activity.model.ts';

type Lists = Record<'votes' | 'comments' | 'comparisons', ActivityEntry[]>;
const emptyLists = (): Lists => ({ votes: [], comments: [], comparisons: [] });

/** Oldest first (ties by ref, so a rebuild orders them as the events did), the latest `cap` kept. */
function capped(entries: ActivityEntry[], cap: number): ActivityEntry[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return sorted.slice(-cap);
}

/** Each person's entries by bucket id. */
function bucketsOf(entries: Iterable<[userId: string, entry: ActivityEntry]>): Map<string, ActivityEntry[]> {
  const buckets = new Map<string, ActivityEntry[]>();
  for (const [userId, entry] of entries) {
    const id = activityBucketId(userId, entry.type, entry.ref);
    buckets.set(id, [...(buckets.get(id) ?? []), entry]);
  }
  return buckets;
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

/** One source to mirror: the bucket holds `ref` exactly when `load` finds it. */
type Sync = { ref: string; load: () => Promise<ActivityEntry | null> };

type StoredBucket = { entries: ActivityEntry[]; version: number } | null;

/**
 * Buckets as this process last wrote or read them (null: none stored). The consumer that writes
 * them runs in one process at a time, so a person's next vote finds their bucket here rather than
 * reading it (one write per sync, not a read and a write): each write is conditional on the
 * version it was computed from, and one that meets another version (another process, a rebuild,
 * an erasure wrote meanwhile) reads the bucket and tries again. At most 2,000 buckets (a full one
 * holds BUCKET_CAP entries), each read again after five minutes.
 */
const knownBuckets = createKeyedCache(
  async (id: string): Promise<StoredBucket> => {
    const doc = await ActivityBucket.findById(id).lean();
    return doc ? { entries: doc.entries.map(entryOf), version: doc.version } : null;
  },
  { ttlMs: 10 * 60_000, maxKeys: 2_000 },
);

/**
 * Writes `change` into the bucket: a read-modify-write, conditional on the version known, retried
 * from the stored bucket when another write landed first. `change` gets the entries and returns
 * them changed, or null when nothing changes.
 */
async function rewriteBucket(id: string, change: (entries: ActivityEntry[]) => Promise<ActivityEntry[] | null>): Promise<void> {
  let stored = false;
  for (let attempt = 0; attempt < 20; attempt++) {
    const doc = await knownBuckets.get(id);
    const changed = await change(doc?.entries ?? []);
    // Nothing to write is decided on the stored bucket: no version check would catch what this process missed.
    if (!changed && stored) return;
    if (!changed) {
      knownBuckets.forget(id);
      stored = true;
      continue;
    }
    const entries = capped(changed, BUCKET_CAP);
    const version = freshVersion();
    let written: boolean;
    // An emptied bucket goes, as a rebuild would not write it.
    if (!entries.length) written = !doc || (await ActivityBucket.deleteOne({ _id: id, version: doc.version })).deletedCount === 1;
    else if (!doc)
      written = await ActivityBucket.create({ _id: id, entries: entries.map(storedEntry), version }).then(
        () => true,
        (error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
          return false;
        },
      );
    else written = (await ActivityBucket.updateOne({ _id: id, version: doc.version }, { $set: { entries: entries.map(storedEntry), version } })).modifiedCount === 1;
    if (written) {
      knownBuckets.keep(id, entries.length ? { entries, version } : null);
      return;
    }
    knownBuckets.forget(id);
    stored = true;
  }
  throw new Error(`The activity bucket ${id} kept changing under an update.`);
}

/**
 * Makes the bucket hold each sync's `ref` exactly when its source says so. The bucket is read
 * before the sources: a later change to the same source (a vote withdrawn meanwhile) either lands
 * first and bumps the version, or runs its own sync after.
 */
const syncBucket = (id: string, syncs: Sync[]) =>
  rewriteBucket(id, async (stored) => {
    const found = await Promise.all(syncs.map((sync) => sync.load()));
    let entries = stored;
    let touched = false;
    for (const [index, sync] of syncs.entries()) {
      const entry = found[index];
      if (!entry && !entries.some((existing) => existing.ref === sync.ref)) continue;
      entries = [...entries.filter((existing) => existing.ref !== sync.ref), ...(entry ? [entry] : [])];
      touched = true;
    }
    return touched ? entries : null;
  });

/**
 * Moves every index stored before buckets into buckets (the entries a bucket does not hold yet
 * join it), then deletes it. Run by each process before its first sync, so an entry whose source
 * went meanwhile is taken out by its own sync after the move; the reader reads both until then.
 */
export async function moveOldIndexes(): Promise<number> {
  const ids = (await IndividualActivity.find({}, { _id: 1 }).lean()).map((doc) => doc._id);
  for (const userId of ids) {
    const old = await IndividualActivity.findById(userId).lean();
    if (!old) continue;
    const entries = [...old.votes, ...old.comments, ...old.comparisons] as ActivityEntry[];
    for (const [id, joining] of bucketsOf(entries.map((entry) => [userId, entry]))) {
      await rewriteBucket(id, async (stored) => {
        const held = new Set(stored.map((entry) => entry.ref));
        const missing = joining.filter((entry) => !held.has(entry.ref));
        return missing.length ? [...stored, ...missing] : null;
      });
    }
    await IndividualActivity.deleteOne({ _id: userId });
  }
  return ids.length;
}

let moving: Promise<unknown> | undefined;
const oldIndexesMoved = () =>
  (moving ??= moveOldIndexes().catch((error: unknown) => {
    moving = undefined;
    throw error;
  }));

/**
 * A person voting or commenting fast (or a script acting as them) sets off syncs of one bucket at
 * once: one at a time in one read-modify-write each, they would fail each other's version check
 * and retry, each retry rewriting the bucket. Those arriving together go as one.
 */
const syncTogether = createCoalescer(async (id: string, syncs: Sync[]) => {
  await syncBucket(id, syncs);
  return syncs.map(() => undefined);
});

/** Syncs an outbox consumer held over its round (applying-event.ts, Batch), sent at once: each bucket read and written once for all of its own. */
async function syncHeld(held: Array<{ id: string; sync: Sync }>): Promise<void> {
  await Promise.all(held.map(({ id, sync }) => syncTogether(id, sync)));
}

async function syncEntry(userId: string, type: ActivityType, ref: string, load: Sync['load']): Promise<void> {
  await oldIndexesMoved();
  const id = activityBucketId(userId, type, ref);
  // A sync reads its source when it runs, whatever happened to it meanwhile: holding it changes nothing it writes.
  const batch = appliedEvent()?.batch;
  if (batch) batch.hold(syncHeld, { id, sync: { ref, load } });
  else await syncTogether(id, { ref, load });
}

/**
 * Keeps each person's activity index current from the domain events. A cast vote and a comment
 * are indexed from what their event carries, without reading them: the consumer applies only
 * events whose write happened (the outbox's verifiers), in the order they were recorded, and a
 * vote's withdrawal is recorded after the cast it withdraws; a withdrawal reads the vote as it is
 * now, so whatever a cast and a withdrawal racing each other left, the last sync of the vote
 * mirrors it. Events recorded before they carried `at` read their source as before.
 */
export function trackIndividualActivity(events: EventSubscriptions): void {
  events.on('idea.voted', ({ ideaId, challengeId, userId, delta, at }) => {
    const id = voteId(ideaId, userId);
    // A cast is the voter's own act (a merge copies votes without this event): indexed as carried.
    if (delta > 0 && at) return syncEntry(userId, 'vote', id, async () => voteEntry({ _id: id, ideaId, challengeId, at: new Date(at) }));
    return syncEntry(userId, 'vote', id, async () => {
      const vote = await Vote.findById(id).lean();
      // A vote a merge copied onto the target is not the voter's act: their own vote stays on the duplicate.
      return vote && !vote.viaMergeOf ? voteEntry(vote) : null;
    });
  });

  events.on('comment.added', ({ ideaId, challengeId, commentId, authorId, at }) =>
    syncEntry(authorId, 'comment', commentId, async () => {
      if (at) return commentEntry({ id: commentId, createdAt: new Date(at) }, ideaId, challengeId);
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

  const stale = new Set((await ActivityBucket.find({}, { _id: 1 }).lean()).map((doc) => doc._id));
  const buckets = bucketsOf([...people].flatMap(([userId, lists]) => [...lists.votes, ...lists.comments, ...lists.comparisons].map((entry): [string, ActivityEntry] => [userId, entry])));
  let written = 0;
  for (const [id, entries] of buckets) {
    if (written++ % 5_000 === 0) progress(`writing ${buckets.size} activity buckets of ${people.size} people: ${written - 1} done`);
    stale.delete(id);
    await ActivityBucket.updateOne({ _id: id }, { $set: { entries: capped(entries, BUCKET_CAP).map(storedEntry), version: freshVersion() } }, { upsert: true });
  }
  for (const id of stale) await ActivityBucket.deleteOne({ _id: id });
  // The index stored before buckets: everything in it is rebuilt above.
  await IndividualActivity.deleteMany({});
  return { people: people.size };
}

/** One person's index (empty lists when they never did anything): their buckets, and their index from before buckets until it is moved. */
export async function activityOf(userId: string): Promise<Lists> {
  if (!mongoose.isValidObjectId(userId)) return emptyLists();
  const [old, ...buckets] = await Promise.all([IndividualActivity.findById(userId).lean(), ...activityBucketIds(userId).map((id) => ActivityBucket.findById(id).lean())]);
  const lists = emptyLists();
  const held = new Set<string>();
  for (const bucket of buckets) {
    for (const entry of (bucket?.entries ?? []).map(entryOf)) {
      lists[LIST_OF[entry.type]].push(entry);
      held.add(`${entry.type}:${entry.ref}`);
    }
  }
  for (const entry of old ? ([...old.votes, ...old.comments, ...old.comparisons] as ActivityEntry[]) : []) {
    if (!held.has(`${entry.type}:${entry.ref}`)) lists[LIST_OF[entry.type]].push(entry);
  }
  return { votes: capped(lists.votes, ACTIVITY_CAP), comments: capped(lists.comments, ACTIVITY_CAP), comparisons: capped(lists.comparisons, ACTIVITY_CAP) };
}
