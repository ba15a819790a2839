import { randomInt } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { bucketOf } from '../../shared/hash-bucket.ts';

export const ACTIVITY_TYPES = ['vote', 'comment', 'comparison'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * A person's entries of one kind are spread over this many documents by their ref, each keeping
 * its latest ACTIVITY_CAP / ACTIVITY_BUCKETS: an entry's write rewrites one of them, not the whole
 * index (the embedded engine decodes and rewrites a whole document per update, and one person's
 * 1,500 entries made each of their votes rewrite about 200 kB).
 */
export const ACTIVITY_BUCKETS = 10;
/** How many of each kind a person's index keeps at most: the latest ones of each bucket. */
export const ACTIVITY_CAP = 500;
export const BUCKET_CAP = ACTIVITY_CAP / ACTIVITY_BUCKETS;

/**
 * One thing a person did. `ref` is the source document's key (the vote's _id, the comment's id,
 * the comparison's _id), so an entry is never recorded twice. A comparison's pair is
 * `ideaId` + `otherIdeaId`; `winnerId` is null for a skip.
 */
export type ActivityEntry = {
  type: ActivityType;
  ref: string;
  ideaId: string;
  challengeId: string;
  at: Date;
  otherIdeaId?: string;
  winnerId?: string | null;
};

const entrySchema = new Schema(
  {
    type: { type: String, enum: ACTIVITY_TYPES, required: true },
    ref: { type: String, required: true },
    ideaId: { type: String, required: true },
    challengeId: { type: String, required: true },
    at: { type: Date, required: true },
    otherIdeaId: { type: String },
    winnerId: { type: String },
  },
  { _id: false },
);

/**
 * The index as it was stored before buckets, one document per person keyed by user id: read
 * beside the buckets, and moved into them by the person's next activity sync or a rebuild.
 */
const activitySchema = new Schema(
  {
    _id: { type: String, required: true },
    votes: { type: [entrySchema], default: [] },
    comments: { type: [entrySchema], default: [] },
    comparisons: { type: [entrySchema], default: [] },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export const IndividualActivity = mongoose.model('IndividualActivity', activitySchema);

/**
 * What a person did across challenges: votes, comments and comparisons are stored by idea or
 * challenge, so without this index the individual view would scan three collections. Keyed
 * `${userId}:${type}:${bucket}` (see `activityBucketId`); entries are kept oldest first, capped at
 * BUCKET_CAP; `version` guards the read-modify-write (the embedded engine ignores `$slice` on
 * `$push` and `$pull` by condition). Every write of a bucket sets a `freshVersion()`: the activity
 * consumer writes on the version it last wrote or read, without reading the bucket again.
 */
const bucketSchema = new Schema(
  {
    _id: { type: String, required: true },
    // Strings (`storedEntry`), or ActivityEntry objects in buckets written before: Mixed, not
    // cast (casting each write's entries into subdocuments cost 0.31 ms of CPU for a full bucket).
    entries: { type: [Schema.Types.Mixed], default: [] },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export const ActivityBucket = mongoose.model('ActivityBucket', bucketSchema);

/**
 * A bucket's version after a write: drawn at random rather than counted, so that a version a
 * process remembers is not met again on a bucket deleted and written anew since (a counted one
 * starts again at 1).
 */
export const freshVersion = (): number => randomInt(1, 2 ** 47);

/** The bucket of a person's entry, by its ref. */
export const activityBucketId = (userId: string, type: ActivityType, ref: string): string => `${userId}:${type}:${bucketOf(ref, ACTIVITY_BUCKETS)}`;

/** Every bucket of a person, of every kind. */
export const activityBucketIds = (userId: string): string[] => ACTIVITY_TYPES.flatMap((type) => Array.from({ length: ACTIVITY_BUCKETS }, (_, bucket) => `${userId}:${type}:${bucket}`));

export const LIST_OF: Record<ActivityType, 'votes' | 'comments' | 'comparisons'> = { vote: 'votes', comment: 'comments', comparison: 'comparisons' };

/**
 * How an entry is stored in a bucket: one string, the JSON list of its fields. The embedded engine
 * decodes and rewrites a whole bucket on each write, and it decodes an object in a list several
 * times slower than a string: a write of 50 entries cost it 7.2 ms as objects and 1.3 ms as
 * strings (measured alone), once per vote or comment of a busy person. Buckets written before
 * hold objects; `entryOf` reads both, and their next write stores strings.
 */
export function storedEntry(entry: ActivityEntry): string {
  const fields = [entry.type, entry.ref, entry.ideaId, entry.challengeId, entry.at.getTime()];
  return JSON.stringify(entry.type === 'comparison' ? [...fields, entry.otherIdeaId ?? null, entry.winnerId ?? null] : fields);
}

type StoredFields = [ActivityType, string, string, string, number, (string | null)?, (string | null)?];

/** An entry as `storedEntry` wrote it, or as an object from before. */
export function entryOf(stored: unknown): ActivityEntry {
  if (typeof stored !== 'string') return stored as ActivityEntry;
  const [type, ref, ideaId, challengeId, at, otherIdeaId, winnerId] = JSON.parse(stored) as StoredFields;
  return { type, ref, ideaId, challengeId, at: new Date(at), ...(type === 'comparison' && { otherIdeaId: otherIdeaId ?? undefined, winnerId: winnerId ?? null }) };
}
