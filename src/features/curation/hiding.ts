import { rewriteComment } from '../community/comments.service.ts';
import { closeTally } from '../community/reports.service.ts';
import type { HiddenState, IdeaLifecycle } from '../ideas/idea-lifecycle.ts';
import { Idea } from '../ideas/idea.model.ts';

export type { HiddenState };

/** An idea, or one comment in its discussion. */
export type ContentTarget = { targetType: 'idea' | 'comment'; ideaId: string; commentId?: string | null };

export const tallyIdOf = (target: ContentTarget) => (target.targetType === 'idea' ? `idea:${target.ideaId}` : `comment:${target.commentId}`);

type Writes = { lifecycle: IdeaLifecycle };

/**
 * Sets (next) or clears (null) the target's hidden state if `allowed` accepts its current one.
 * Conditional on that state as read, so of two copilots acting at once only one changes it.
 * Returns the state it replaced, or undefined when nothing changed.
 */
export async function setHidden(
  target: ContentTarget,
  next: HiddenState | null,
  allowed: (current: HiddenState | null) => boolean,
  writes: Writes,
): Promise<{ before: HiddenState | null } | undefined> {
  if (target.targetType === 'comment') {
    let before: HiddenState | null = null;
    const changed = await rewriteComment(target.ideaId, target.commentId!, (comment) => {
      before = (comment.hidden as HiddenState | null | undefined) ?? null;
      return allowed(before) ? { ...comment, hidden: next } : null;
    });
    return changed ? { before } : undefined;
  }
  const idea = await Idea.findById(target.ideaId, { hidden: 1 }).lean();
  if (!idea) return undefined;
  const before = (idea.hidden?.cause ? idea.hidden : null) as HiddenState | null;
  if (!allowed(before)) return undefined;
  return (await writes.lifecycle.setHidden(target.ideaId, before, next)) ? { before } : undefined;
}

/** Closes the target's open tally as reviewed; the idea's open report count drops to zero. */
export async function resolveTally(target: ContentTarget, status: 'restored' | 'removed', writes: Writes): Promise<boolean> {
  const closed = await closeTally(tallyIdOf(target), status);
  if (target.targetType === 'idea') await writes.lifecycle.clearReports(target.ideaId);
  else await writes.lifecycle.markCommentReported(target.ideaId, target.commentId!, false);
  return closed;
}
