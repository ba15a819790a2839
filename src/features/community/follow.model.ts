import mongoose, { Schema } from 'mongoose';

export const FOLLOW_TARGETS = ['challenge', 'idea'] as const;
export type FollowTarget = (typeof FOLLOW_TARGETS)[number];

/**
 * Who follows a challenge or an idea, one document per target keyed `${type}:${id}`: telling the
 * followers of something is then one read by _id, and (un)following one atomic $addToSet/$pull.
 */
const followersSchema = new Schema({ _id: { type: String, required: true }, userIds: { type: [Schema.Types.ObjectId], default: [] } }, { versionKey: false });
export const Followers = mongoose.model('Followers', followersSchema);

export const followersId = (type: FollowTarget, id: string) => `${type}:${id}`;
