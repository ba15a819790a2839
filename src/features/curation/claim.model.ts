import mongoose, { Schema } from 'mongoose';

/**
 * "Ana is screening this": one document per idea, keyed by the idea's id, so that of two copilots
 * opening the same idea the unique _id lets exactly one hold it. It lapses at `expiresAt`, or when
 * its idea leaves the queue; the next claim replaces it conditionally on its expiry, so such a claim
 * changes hands once.
 */
const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    holderId: { type: Schema.Types.ObjectId, required: true },
    holderName: { type: String, required: true },
    since: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    // When the idea entered the queue for the round this claim holds: a decision ends the claim without a write (claims.ts).
    queuedAt: { type: Date },
  },
  { versionKey: false },
);
export const Claim = mongoose.model('CurationClaim', claimSchema);

/** Long enough to read an idea and write a reply; short enough that a copilot who left frees it soon. */
export const CLAIM_MS = 5 * 60_000;
