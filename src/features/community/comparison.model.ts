import mongoose, { Schema } from 'mongoose';

/**
 * One member's answer to "which of these two is better for this challenge?", keyed
 * `${challengeId}:${memberId}:${smallerId}:${largerId}`: the unique _id is the guard against
 * answering a pair twice (a double post, or ten at once, records once), whichever side each idea
 * was shown on. A skip is recorded (the pair is not offered again) but carries no winner.
 */
const comparisonSchema = new Schema(
  {
    _id: { type: String, required: true },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    /** The two ideas, smaller id first. */
    ideaIds: { type: [Schema.Types.ObjectId], required: true },
    winnerId: { type: Schema.Types.ObjectId, default: null },
    loserId: { type: Schema.Types.ObjectId, default: null },
    skipped: { type: Boolean, default: false },
    at: { type: Date, default: () => new Date() },
    /** The outbox mark of the answer that wrote it last (a skip, then the decision, share the _id). */
    key: { type: String },
  },
  { versionKey: false },
);
// A challenge's comparisons are read once per process, on first use (MongoDB uses this index).
comparisonSchema.index({ challengeId: 1 });

export const Comparison = mongoose.model('Comparison', comparisonSchema);

export function comparisonId(challengeId: string, memberId: string, ideaA: string, ideaB: string): string {
  const [smaller, larger] = ideaA < ideaB ? [ideaA, ideaB] : [ideaB, ideaA];
  return `${challengeId}:${memberId}:${smaller}:${larger}`;
}
