import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const IDEA_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'changes-requested',
  'rejected',
  'merged',
  'shortlisted',
  'scored',
  'winner',
  'promoted',
  'shipped',
  'declined',
] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

const coAuthorSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: ['invited', 'accepted'], default: 'invited' },
  },
  { _id: false },
);

const attachmentSchema = new Schema(
  { fileId: { type: String, required: true }, filename: String, size: Number, mime: String },
  { _id: false },
);

const statusChangeSchema = new Schema(
  { status: { type: String, enum: IDEA_STATUSES }, at: Date, byId: Schema.Types.ObjectId, byName: String, note: String },
  { _id: false },
);

const ideaSchema = new Schema(
  {
    challengeId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    coAuthors: { type: [coAuthorSchema], default: [] },
    title: { type: String, default: '' },
    summary: { type: String, default: '' },
    body: { type: String, default: '' },
    bodyHtml: { type: String, default: '' },
    fieldValues: { type: Schema.Types.Mixed, default: {} },
    tags: { type: [String], default: [] },
    attachments: { type: [attachmentSchema], default: [] },
    status: { type: String, enum: IDEA_STATUSES, default: 'draft' },
    statusHistory: { type: [statusChangeSchema], default: [] },
    termsAcceptedAt: { type: Date, default: null },
    submittedAt: { type: Date, default: null },
    revision: { type: Number, default: 0 },
    // Counted from the votes collection, which is the truth (see community/vote.model.ts).
    voteCount: { type: Number, default: 0 },
  },
  { timestamps: true, minimize: false },
);

export type IdeaDocument = InferSchemaType<typeof ideaSchema> & { _id: mongoose.Types.ObjectId };
export const Idea = mongoose.model('Idea', ideaSchema);

/** Each edit of a submitted idea keeps what it replaced: who, when, and the earlier text. */
const revisionSchema = new Schema(
  {
    // `${ideaId}:${number}`: a revision is read by _id and a number is never used twice.
    _id: { type: String, required: true },
    ideaId: { type: Schema.Types.ObjectId, required: true },
    number: { type: Number, required: true },
    byId: { type: Schema.Types.ObjectId, required: true },
    byName: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
    title: String,
    summary: String,
    body: String,
    fieldValues: { type: Schema.Types.Mixed, default: {} },
    tags: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);
export const IdeaRevision = mongoose.model('IdeaRevision', revisionSchema);

/**
 * One document per submitted form (the form carries a random key), keyed `${userId}:${key}`:
 * a double click, a retry or parallel identical posts find it and land on the same idea.
 */
const submissionKeySchema = new Schema(
  { _id: { type: String, required: true }, ideaId: { type: Schema.Types.ObjectId, required: true }, contentHash: { type: String, required: true } },
  { versionKey: false, timestamps: true },
);
export const SubmissionKey = mongoose.model('SubmissionKey', submissionKeySchema);
