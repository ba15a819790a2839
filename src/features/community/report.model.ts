import mongoose, { Schema } from 'mongoose';
import { idea } from '../../i18n/catalogue/idea.ts';

export const REPORT_REASONS = ['spam', 'abuse', 'off-topic', 'duplicate', 'ip-concern'] as const;
// English names from the catalogue (`idea.report.reason`), where their German stands beside them.
export const REPORT_REASON_LABELS: Record<(typeof REPORT_REASONS)[number], string> = idea.en.report.reason;

/** One report per person per item: keyed `${type}:${id}:${userId}`, so reporting twice is a no-op. */
const reportSchema = new Schema(
  {
    _id: { type: String, required: true },
    targetType: { type: String, enum: ['idea', 'comment'], required: true },
    ideaId: { type: Schema.Types.ObjectId, required: true },
    commentId: { type: String, default: null },
    challengeId: { type: Schema.Types.ObjectId, required: true },
    reporterId: { type: Schema.Types.ObjectId, required: true },
    reason: { type: String, enum: REPORT_REASONS, required: true },
    note: { type: String, default: '' },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
export const Report = mongoose.model('Report', reportSchema);

/** open: waits in the copilots' reports queue; restored or removed: a copilot reviewed it. */
export const TALLY_STATUSES = ['open', 'restored', 'removed'] as const;

/**
 * Reports per item, for the moderation queue: keyed `${type}:${id}`. Once reviewed, a new report
 * reopens it counting from zero (the earlier reporters' Report documents still stop them reporting twice).
 */
const reportTallySchema = new Schema(
  {
    _id: { type: String, required: true },
    challengeId: Schema.Types.ObjectId,
    ideaId: Schema.Types.ObjectId,
    commentId: String,
    count: { type: Number, default: 0 },
    status: { type: String, enum: TALLY_STATUSES, default: 'open' },
    // Reports per reason since the tally (re)opened: `{ spam: 2, abuse: 1 }`.
    reasons: { type: Schema.Types.Mixed, default: {} },
    hiddenAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
export const ReportTally = mongoose.model('ReportTally', reportTallySchema);

/** A tally waiting for review; tallies stored before statuses existed have none and count as open. */
export const openTally = () => mongoose.trusted({ $nin: ['restored', 'removed'] as Array<'restored' | 'removed'> });
