import mongoose, { Schema } from 'mongoose';

const auditEntrySchema = new Schema(
  {
    actorId: { type: Schema.Types.ObjectId, default: null },
    actorName: { type: String, default: 'system' },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    targetLabel: { type: String, default: '' },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    reason: { type: String, default: '' },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const AuditEntry = mongoose.model('AuditEntry', auditEntrySchema);
