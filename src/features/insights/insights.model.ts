import mongoose, { Schema } from 'mongoose';

/**
 * Counters of one challenge (or of all, `all:`) on one UTC day, keyed `${scope}:${day}` and, for
 * the metrics written most often, `${scope}:${day}:${part}` (see `dayDocId` in keys.ts): a page
 * reads a range by _id, a few documents per day. `c` maps counter keys (see keys.ts) to numbers.
 */
const insightDaySchema = new Schema(
  // `applied`: the last outbox effect counted here (see recorder.ts), which is never counted twice.
  { _id: { type: String, required: true }, c: { type: Schema.Types.Mixed, default: {} }, applied: { type: Number } },
  { versionKey: false, minimize: false },
);
export const InsightDay = mongoose.model('InsightDay', insightDaySchema);

/**
 * "Already counted": a unique _id per thing that counts once (`participant:${challengeId}:${userId}`,
 * `submitted:${ideaId}`, `visitor:${challengeId}:${day}:${visitor}`…); a counter moves only when
 * its marker's insert succeeds.
 */
const insightMarkSchema = new Schema(
  // `by`: the outbox entry that set it, so a replay of that entry still counts what it marked.
  { _id: { type: String, required: true }, at: { type: Date, default: () => new Date() }, by: { type: String } },
  { versionKey: false },
);
export const InsightMark = mongoose.model('InsightMark', insightMarkSchema);

const decisionSampleSchema = new Schema({ ms: Number, copilotId: String, at: Date }, { _id: false });
const reportSampleSchema = new Schema({ ms: Number, at: Date }, { _id: false });

/** Moderation SLA samples of one challenge on one UTC day (`_id`: see `slaDocId`): submission → first decision, and report handling times. */
const insightSlaSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisions: { type: [decisionSampleSchema], default: [] },
    reports: { type: [reportSampleSchema], default: [] },
    /** On a day's document: the parts holding more of its samples (`slaPartId`). */
    parts: { type: [Number], default: undefined },
    applied: { type: Number },
  },
  { versionKey: false },
);
export const InsightSla = mongoose.model('InsightSla', insightSlaSchema);

export type DecisionSample = { ms: number; copilotId: string; at: Date };
export type ReportSample = { ms: number; at: Date };
