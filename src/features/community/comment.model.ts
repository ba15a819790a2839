import mongoose, { Schema } from 'mongoose';
import { HIDE_CAUSES, type HideCause } from '../ideas/idea.model.ts';

/** Why the crowd sees a placeholder instead of the comment (the same causes as a hidden idea). */
// `key`: the outbox mark of the moderation that set it (see curation/moderation.service.ts).
const hiddenSchema = new Schema({ cause: { type: String, enum: HIDE_CAUSES }, reason: String, at: Date, byName: String, key: String }, { _id: false });

const commentSchema = new Schema(
  {
    id: { type: String, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    // Replies are one level deep: a reply's parent is always a top-level comment.
    parentId: { type: String, default: null },
    body: { type: String, default: '' },
    bodyHtml: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    removedAt: { type: Date, default: null },
    removedById: { type: Schema.Types.ObjectId, default: null },
    official: { type: Boolean, default: false },
    // In a challenge's Q&A: a member's question, or a pinned announcement by the team.
    kind: { type: String, enum: ['comment', 'question', 'announcement'], default: 'comment' },
    hidden: { type: hiddenSchema, default: null },
    // The outbox mark of the event its posting announced: a consumer finds by it (one read of
    // the thread by _id) that this very sending was stored, and not a retry's.
    key: { type: String },
  },
  { _id: false },
);

/**
 * A discussion in one document: an idea's keyed by the idea's id, a challenge's questions and
 * announcements by `challenge:<id>`; a page reads it with one lookup by _id. New comments are an atomic $push; edits rewrite the list conditional on
 * `version` (the embedded engine has no positional updates).
 */
const threadSchema = new Schema({ _id: { type: String, required: true }, comments: { type: [commentSchema], default: [] }, version: { type: Number, default: 0 } }, { versionKey: false });

export const CommentThread = mongoose.model('CommentThread', threadSchema);

/** Whether the thread holds the entry a write marked `mark` (see `EventBus.intend`). */
export async function threadHolds(threadId: string, mark: string): Promise<boolean> {
  const thread = await CommentThread.findById(threadId, { 'comments.key': 1 }).lean();
  return Boolean(thread?.comments.some((comment) => comment.key === mark));
}
export type StoredComment = {
  id: string;
  authorId: mongoose.Types.ObjectId;
  parentId: string | null;
  body: string;
  bodyHtml: string;
  createdAt: Date;
  editedAt: Date | null;
  removedAt: Date | null;
  removedById: mongoose.Types.ObjectId | null;
  official: boolean;
  kind?: 'comment' | 'question' | 'announcement';
  hidden?: CommentHidden | null;
};
export type CommentHidden = { cause: HideCause; reason: string; at: Date; byName: string; key?: string };
