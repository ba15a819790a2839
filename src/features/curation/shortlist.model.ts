import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** One idea on the shortlist, with the copilots' note for the judges. */
const entrySchema = new Schema(
  {
    ideaId: { type: Schema.Types.ObjectId, required: true },
    note: { type: String, default: '' },
    addedById: { type: Schema.Types.ObjectId, required: true },
    addedByName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * One document per challenge, keyed by the challenge id, with the entries in order. The engine has
 * no positional updates, so every change rewrites `entries` on the condition that `version` is
 * still the one read: of two writers at once, the second is told to reload.
 */
const shortlistSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, default: 0 },
    entries: { type: [entrySchema], default: [] },
  },
  { versionKey: false, timestamps: true },
);

export type ShortlistEntry = InferSchemaType<typeof entrySchema>;
export const Shortlist = mongoose.model('Shortlist', shortlistSchema);
