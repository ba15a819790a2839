import mongoose, { Schema } from 'mongoose';

export const REPORT_REASONS = ['spam', 'abuse', 'off-topic', 'duplicate', 'ip-concern'] as const;
export const REPORT_REASON_LABELS: Record<(typeof REPORT_REASONS)[number], string> = {
  spam: 'Spam',
  abuse: 'Abusive or offensive',
  'off-topic': 'Off-topic',
  duplicate: 'Duplicate of another idea',
  'ip-concern': 'Intellectual property concern',
};

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

/** Reports per item, for the moderation queue: keyed `${type}:${id}`. */
const reportTallySchema = new Schema(
  { _id: { type: String, required: true }, challengeId: Schema.Types.ObjectId, ideaId: Schema.Types.ObjectId, commentId: String, count: { type: Number, default: 0 } },
  { versionKey: false },
);
export const ReportTally = mongoose.model('ReportTally', reportTallySchema);
