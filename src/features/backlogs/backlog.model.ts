import mongoose, { Schema } from 'mongoose';
import { ITEM_STATUSES } from './workflow.ts';

/** A backlog, keyed by its slug ("product", "marketing", or one an admin added), with its owners. */
const backlogSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    ownerIds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { versionKey: false, timestamps: true },
);
export const Backlog = mongoose.model('Backlog', backlogSchema);

const statusChangeSchema = new Schema(
  // key: the outbox mark of the move that pushed it (a consumer elsewhere finds by it that the move happened).
  {
    from: String,
    to: { type: String, enum: ITEM_STATUSES },
    note: String,
    at: Date,
    byId: Schema.Types.ObjectId,
    byName: String,
    via: { type: String, enum: ['web', 'api'], default: 'web' },
    key: String,
  },
  { _id: false },
);

/**
 * An item in a backlog, fed by one or more ideas: it keeps links to them, everyone credited on
 * them (authors, co-authors, contributors merged in), and the judges' summary at promotion.
 */
const backlogItemSchema = new Schema(
  {
    backlogId: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    status: { type: String, enum: ITEM_STATUSES, default: 'proposed' },
    statusHistory: { type: [statusChangeSchema], default: [] },
    sourceIdeaIds: { type: [Schema.Types.ObjectId], default: [] },
    challengeIds: { type: [Schema.Types.ObjectId], default: [] },
    contributorIds: { type: [Schema.Types.ObjectId], default: [] },
    tags: { type: [String], default: [] },
    judging: { type: [new Schema({ ideaId: String, rank: Number, score: Number, rankLow: Number, rankHigh: Number, tier: String }, { _id: false })], default: [] },
    version: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: true },
);
export const BacklogItem = mongoose.model('BacklogItem', backlogItemSchema);

/**
 * One per idea per backlog, keyed `${ideaId}:${backlogId}`: inserting it is how a promotion is
 * made once, however often (or in parallel) it is asked for.
 */
const promotionSchema = new Schema(
  // key: the outbox mark of the promotion's `idea.promoted` event.
  { _id: { type: String, required: true }, itemId: { type: Schema.Types.ObjectId, required: true }, key: { type: String } },
  { versionKey: false, timestamps: true },
);
export const Promotion = mongoose.model('Promotion', promotionSchema);
export const promotionId = (ideaId: string, backlogId: string) => `${ideaId}:${backlogId}`;
