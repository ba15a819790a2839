import mongoose, { Schema } from 'mongoose';

/**
 * What one merge changed, keyed by the duplicate's id (an idea is merged into one target at a
 * time): unmerge undoes exactly these changes and nothing else, so votes, follows and credits
 * that people added by themselves after the merge stay.
 */
const mergeSchema = new Schema(
  {
    _id: { type: String, required: true },
    targetId: { type: Schema.Types.ObjectId, required: true },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    previousStatus: { type: String, required: true },
    // Also the `at` of the votes the merge created: a vote the person withdrew and cast again
    // afterwards carries a later time and is theirs, not the merge's.
    at: { type: Date, required: true },
    voterIds: { type: [Schema.Types.ObjectId], default: [] },
    followerIds: { type: [Schema.Types.ObjectId], default: [] },
    contributorIds: { type: [Schema.Types.ObjectId], default: [] },
    byId: { type: Schema.Types.ObjectId, required: true },
    byName: { type: String, required: true },
    /** The outbox mark of the merge's `idea.merged` event: a consumer anywhere finds by it that this merge was recorded. */
    key: { type: String },
  },
  { versionKey: false },
);

export const Merge = mongoose.model('Merge', mergeSchema);
