import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { CommentThread, type StoredComment } from './comment.model.ts';
import { forgetThread } from './recent-threads.ts';
import { Comparison } from './comparison.model.ts';
import { Followers } from './follow.model.ts';
import { Report } from './report.model.ts';
import { Vote } from './vote.model.ts';

/** The person's comments, votes, comparisons, follows and reports. Scans: an export runs in the background. */
export async function communityData(userId: string) {
  const id = new mongoose.Types.ObjectId(userId);
  const threads = await CommentThread.find({ 'comments.authorId': id }).lean();
  const comments = threads.flatMap((thread) =>
    (thread.comments as StoredComment[])
      .filter((comment) => String(comment.authorId) === userId)
      .map((comment) => ({
        thread: thread._id,
        id: comment.id,
        kind: comment.kind ?? 'comment',
        body: comment.body,
        createdAt: comment.createdAt,
        editedAt: comment.editedAt,
        removed: Boolean(comment.removedAt),
      })),
  );
  const votes = (await Vote.find({ userId: id }).lean()).map((vote) => ({ ideaId: String(vote.ideaId), challengeId: String(vote.challengeId), at: vote.at }));
  const comparisons = (await Comparison.find({ memberId: id }).lean()).map((comparison) => ({
    challengeId: String(comparison.challengeId),
    ideaIds: comparison.ideaIds.map(String),
    winnerId: comparison.winnerId ? String(comparison.winnerId) : null,
    skipped: comparison.skipped,
    at: comparison.at,
  }));
  const follows = (await Followers.find({ userIds: id }).lean()).map((entry) => entry._id);
  const reports = (await Report.find({ reporterId: id }).lean()).map((report) => ({
    targetType: report.targetType,
    ideaId: String(report.ideaId),
    commentId: report.commentId,
    reason: report.reason,
    note: report.note,
    at: report.at,
  }));
  return { comments, votes, comparisons, follows, reports };
}

/**
 * Comments, votes, comparisons and reports stay, tied to the anonymous account (votes and
 * comparisons keep counting; comments show "Deleted user"); the person follows nothing any more.
 */
export async function eraseCommunityData(person: ErasedPerson): Promise<void> {
  const id = new mongoose.Types.ObjectId(person.userId);
  await Followers.updateMany({ userIds: id }, { $pull: { userIds: id } });
  // A report's note is the reporter's own words about someone else's content: it goes with them.
  await Report.updateMany({ reporterId: id }, { $set: { note: '' } });
  // A copilot's hiding of a comment keeps only their name (no id).
  for (const thread of await CommentThread.find({ 'comments.hidden.byName': person.name }).lean()) {
    const comments = (thread.comments as StoredComment[]).map((comment) => (comment.hidden?.byName === person.name ? { ...comment, hidden: { ...comment.hidden, byName: DELETED_USER } } : comment));
    await CommentThread.updateOne({ _id: thread._id, version: thread.version }, { $set: { comments }, $inc: { version: 1 } });
    forgetThread(thread._id);
  }
}
