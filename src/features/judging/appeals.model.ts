import mongoose, { Schema } from 'mongoose';

/** A judge's answer to an appeal, and the score they changed with it (when they did). */
const answerSchema = new Schema(
  {
    text: { type: String, required: true },
    at: { type: Date, required: true },
    byId: { type: Schema.Types.ObjectId, required: true },
    byName: { type: String, required: true },
    totalBefore: { type: Number, default: null },
    totalAfter: { type: Number, default: null },
  },
  { _id: false },
);

/**
 * One appeal per idea, keyed by the idea's id: the unique _id is what makes a second appeal
 * (or two parallel first ones) fail, and the judges' list reads appeals by the shortlist's ids.
 */
const appealSchema = new Schema(
  {
    _id: { type: String, required: true },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    byId: { type: Schema.Types.ObjectId, required: true },
    byName: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
    answer: { type: answerSchema, default: null },
  },
  { versionKey: false },
);
export const Appeal = mongoose.model('Appeal', appealSchema);
