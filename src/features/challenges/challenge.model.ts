import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { PHASES } from './phases.ts';

export const AUDIENCES = ['public', 'members', 'specialists', 'invite-only'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const SUBMISSION_VISIBILITIES = ['open', 'sealed'] as const;
export const FIELD_TYPES = ['text', 'longtext', 'choice', 'number', 'url', 'file'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const BACKLOGS = ['product', 'marketing'] as const;

const customFieldSchema = new Schema(
  {
    key: { type: String, required: true },
    label: { type: String, required: true },
    type: { type: String, enum: FIELD_TYPES, required: true },
    required: { type: Boolean, default: false },
    choices: { type: [String], default: [] },
  },
  { _id: false },
);

const criterionSchema = new Schema(
  {
    name: { type: String, required: true },
    weight: { type: Number, required: true },
    scaleMin: { type: Number, required: true },
    scaleMax: { type: Number, required: true },
    guidance: { type: String, default: '' },
  },
  { _id: false },
);

const scheduleSchema = new Schema(Object.fromEntries(['open', 'curation', 'judging', 'appeals', 'decided', 'closed'].map((phase) => [phase, { type: Date, default: null }])), { _id: false });

const phaseMoveSchema = new Schema(
  {
    from: { type: String, enum: PHASES },
    to: { type: String, enum: PHASES, required: true },
    at: { type: Date, required: true },
    byId: { type: Schema.Types.ObjectId, default: null },
    byName: { type: String, default: 'scheduler' },
    reason: { type: String, default: '' },
    /** The outbox mark of the move's `challenge.phase_changed` event: a consumer finds by it that this move happened. */
    key: { type: String },
  },
  { _id: false },
);

export const CROWD_SEES = ['approved', 'submitted'] as const;

const challengeSchema = new Schema(
  {
    title: { type: String, required: true },
    summary: { type: String, default: '' },
    brief: { type: String, default: '' },
    briefHtml: { type: String, default: '' },
    coverImageId: { type: String, default: null },
    audience: { type: String, enum: AUDIENCES, default: 'public' },
    invitedEmails: { type: [String], default: [] },
    submissionVisibility: { type: String, enum: SUBMISSION_VISIBILITIES, default: 'open' },
    prizes: { type: [new Schema({ tier: String, text: String }, { _id: false })], default: [] },
    terms: { type: String, default: '' },
    fields: { type: [customFieldSchema], default: [] },
    criteria: { type: [criterionSchema], default: [] },
    targetBacklog: { type: String, enum: BACKLOGS, default: 'product' },
    copilotIds: { type: [Schema.Types.ObjectId], default: [] },
    judgeIds: { type: [Schema.Types.ObjectId], default: [] },
    phase: { type: String, enum: PHASES, default: 'draft' },
    appealsEnabled: { type: Boolean, default: false },
    // Votes each member may cast in the challenge; 0 for no limit.
    voteBudget: { type: Number, default: 0 },
    // When the crowd first sees a submitted idea: once a copilot approves it, or at once.
    crowdSees: { type: String, enum: CROWD_SEES, default: 'approved' },
    // Reports that hide an idea or comment until a copilot reviews it.
    reportThreshold: { type: Number, default: 3 },
    timezone: { type: String, default: 'UTC' },
    schedule: { type: scheduleSchema, default: () => ({}) },
    phaseHistory: { type: [phaseMoveSchema], default: [] },
    createdById: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true },
);

export type ChallengeDocument = InferSchemaType<typeof challengeSchema> & { _id: mongoose.Types.ObjectId };

export const Challenge = mongoose.model('Challenge', challengeSchema);
