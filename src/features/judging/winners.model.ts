import mongoose, { Schema } from 'mongoose';

/**
 * A prize tier and the idea that wins it (none when staff leave it out). `rank` is where the
 * idea stood in the ranking when it was chosen; `reason` says why the choice differs from it.
 */
const awardSchema = new Schema(
  { tier: { type: String, required: true }, ideaId: { type: String, default: null }, rank: { type: Number, default: null }, reason: { type: String, default: '' } },
  { _id: false },
);

/** A challenge's winners, keyed by its id: chosen by staff, then announced (and locked) once. */
const winnersSchema = new Schema(
  {
    _id: { type: String, required: true },
    awards: { type: [awardSchema], default: [] },
    announcedAt: { type: Date, default: null },
    announcedByName: { type: String, default: '' },
    version: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: true },
);
export const Winners = mongoose.model('Winners', winnersSchema);
