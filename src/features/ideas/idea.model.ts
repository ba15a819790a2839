import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** reports: hidden automatically, pending review; copilot: hidden by hand; removed: for good, after review. */
export const HIDE_CAUSES = ['reports', 'copilot', 'removed'] as const;
export type HideCause = (typeof HIDE_CAUSES)[number];

export const IDEA_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'changes-requested',
  'rejected',
  'merged',
  'shortlisted',
  'not-shortlisted',
  'scored',
  'winner',
  'not-awarded',
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

const attachmentSchema = new Schema({ fileId: { type: String, required: true }, filename: String, size: Number, mime: String }, { _id: false });

/**
 * `key`: the outbox mark of the write that made this change (see idea-verifiers.ts). `note`: why,
 * as written (a person's words) or, for a sentence of Cocreate's, in English with its catalogue
 * key and values beside it (`noteKey`, `noteParams`: see history-notes.ts).
 */
const statusChangeSchema = new Schema(
  { status: { type: String, enum: IDEA_STATUSES }, at: Date, byId: Schema.Types.ObjectId, byName: String, note: String, noteKey: String, noteParams: Schema.Types.Mixed, key: String },
  { _id: false },
);

/** The copilots' latest screening decision, shown to the authors. */
const decisionSchema = new Schema(
  { kind: { type: String, enum: ['approve', 'request-changes', 'reject'] }, reason: String, message: String, at: Date, byId: Schema.Types.ObjectId, byName: String },
  { _id: false },
);

/** Why the crowd sees a placeholder instead of the idea: reports pending review, or a copilot's call. */
// `key`: the outbox mark of the moderation that set it (see curation/moderation.service.ts).
const hiddenSchema = new Schema({ cause: { type: String, enum: HIDE_CAUSES }, reason: String, at: Date, byName: String, key: String }, { _id: false });

/** Someone credited on this idea because an idea of theirs was merged into it. */
const contributorSchema = new Schema({ userId: Schema.Types.ObjectId, fromIdeaId: Schema.Types.ObjectId }, { _id: false });

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
    decision: { type: decisionSchema, default: null },
    // For the moderation SLA: when a copilot first decided on it.
    firstDecisionAt: { type: Date, default: null },
    // The revision the copilots asked changes to: a resubmission is screened with a diff from it.
    changesRequestedAtRevision: { type: Number, default: null },
    hidden: { type: hiddenSchema, default: null },
    // Reports on the idea itself in its open report tally: the copilots' queue filters "reported" by it.
    openReports: { type: Number, default: 0 },
    // Its comments with an open report tally: they count in the queue's "Reported" figure too.
    reportedCommentIds: { type: [String], default: [] },
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    mergedFrom: { type: [Schema.Types.ObjectId], default: [] },
    contributors: { type: [contributorSchema], default: [] },
    // Co-author invitations to addresses with no account yet: they become invitations when the address is confirmed.
    invitedEmails: { type: [String], default: [] },
    // Backlog items this idea feeds (one per backlog at most): the rest of its path.
    promotedTo: { type: [new Schema({ backlogId: String, itemId: Schema.Types.ObjectId }, { _id: false })], default: [] },
    // What the form that created it held (a hash): its key sent again with other content is refused (ideas.service.ts).
    submissionHash: { type: String },
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

/** Ideas that invited an address with no account, keyed by the address: read by _id when it is confirmed. */
const pendingInviteSchema = new Schema({ _id: { type: String, required: true }, ideaIds: { type: [Schema.Types.ObjectId], default: [] } }, { versionKey: false });
export const PendingCoAuthorInvite = mongoose.model('PendingCoAuthorInvite', pendingInviteSchema);
