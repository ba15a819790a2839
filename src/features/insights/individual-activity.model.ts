import mongoose, { Schema } from 'mongoose';

export const ACTIVITY_TYPES = ['vote', 'comment', 'comparison'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** How many of each kind a person's index keeps: the latest ones. */
export const ACTIVITY_CAP = 500;

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
 * What a person did across challenges, keyed by user id: votes, comments and comparisons are
 * stored by idea or challenge, so without this the individual view would scan three collections.
 * Lists are kept oldest first, each capped; `version` guards the read-modify-write (the embedded
 * engine ignores `$slice` on `$push` and `$pull` by condition).
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

export const LIST_OF: Record<ActivityType, 'votes' | 'comments' | 'comparisons'> = { vote: 'votes', comment: 'comments', comparison: 'comparisons' };
