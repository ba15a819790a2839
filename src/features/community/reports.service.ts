import { message } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { setHidden, tallyIdOf, type ContentTarget } from '../curation/hiding.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import { CommentThread } from './comment.model.ts';
import { openTally, Report, ReportTally, type REPORT_REASONS } from './report.model.ts';

/** Marks a tally reviewed (the copilots restored or removed the item); false when it was not open. */
export async function closeTally(tallyId: string, status: 'restored' | 'removed'): Promise<boolean> {
  const result = await ReportTally.updateOne({ _id: tallyId, status: openTally() }, { $set: { status } });
  return result.modifiedCount === 1;
}

export type ReportInput = { targetType: 'idea' | 'comment'; ideaId: string; commentId?: string; reason: (typeof REPORT_REASONS)[number]; note: string };

/**
 * Counts one report in the item's tally: into the open tally, or reopening a reviewed one so that
 * it counts from the new reports only, or starting one.
 */
async function countReport(tallyId: string, reason: string, where: { challengeId: string; ideaId: string; commentId: string | null }) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const open = await ReportTally.findOneAndUpdate({ _id: tallyId, status: openTally() }, { $inc: { count: 1, [`reasons.${reason}`]: 1 } }, { returnDocument: 'after' }).lean();
    if (open) return open;
    const reopened = await ReportTally.findOneAndUpdate(
      { _id: tallyId, status: mongoose.trusted({ $in: ['restored', 'removed'] as Array<'restored' | 'removed'> }) },
      { $set: { status: 'open', count: 1, reasons: { [reason]: 1 }, hiddenAt: null } },
      { returnDocument: 'after' },
    ).lean();
    if (reopened) return reopened;
    try {
      return (await ReportTally.create({ _id: tallyId, ...where, count: 1, status: 'open', reasons: { [reason]: 1 } })).toObject();
    } catch (error) {
      // Someone else's report started the tally meanwhile: count into it.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Conflict(message('community.report.busy'));
}

export function createReports(deps: { ideas: Ideas; events: EventBus }) {
  return {
    /** Records the report once per person per item; reporters are never shown to the author. */
    async report(actor: Actor, input: ReportInput): Promise<{ recorded: boolean }> {
      const { idea, challenge } = await deps.ideas.visibleIdea(actor, input.ideaId);
      if (idea.status === 'draft') throw new NotFound(message('community.report.noIdea'));
      let contentAuthorId = String(idea.authorId);
      if (input.targetType === 'comment') {
        const thread = await CommentThread.findById(input.ideaId).lean();
        const comment = thread?.comments.find((candidate) => candidate.id === input.commentId);
        if (!comment || comment.removedAt) throw new NotFound(message('community.report.noComment'));
        if (String(comment.authorId) === actor.id) throw new Forbidden(message('community.report.ownComment'));
        contentAuthorId = String(comment.authorId);
      } else if (String(idea.authorId) === actor.id) {
        throw new Forbidden(message('community.report.ownIdea'));
      }
      const target: ContentTarget = { targetType: input.targetType, ideaId: input.ideaId, commentId: input.commentId ?? null };
      const tallyId = tallyIdOf(target);
      try {
        await Report.create({
          _id: `${tallyId}:${actor.id}`,
          targetType: input.targetType,
          ideaId: input.ideaId,
          commentId: input.commentId ?? null,
          challengeId: challenge.id,
          reporterId: actor.id,
          reason: input.reason,
          note: input.note,
        });
      } catch (error) {
        if (isDuplicateKeyError(error)) return { recorded: false };
        throw error;
      }
      const tally = await countReport(tallyId, input.reason, { challengeId: challenge.id, ideaId: input.ideaId, commentId: input.commentId ?? null });
      if (input.targetType === 'idea') await deps.ideas.lifecycle.countReports(input.ideaId, tally.count);
      else await deps.ideas.lifecycle.markCommentReported(input.ideaId, input.commentId!, true);
      deps.events.emit('content.reported', { challengeId: challenge.id, ideaId: input.ideaId, commentId: input.commentId ?? null, count: tally.count });

      if (tally.count >= challenge.reportThreshold) {
        const reason = 'Reported by several members';
        const intent = await deps.events.intend([
          'content.moderated',
          { challengeId: challenge.id, ideaId: input.ideaId, commentId: input.commentId ?? null, action: 'hidden', cause: 'reports', reason, authorId: contentAuthorId, title: idea.title },
        ]);
        const hidden = { cause: 'reports' as const, reason, at: new Date(), byName: 'community reports', key: intent.mark };
        const changed = await setHidden(target, hidden, (current) => current === null, deps.ideas);
        if (!changed) await intent.abandon();
        else {
          await ReportTally.updateOne({ _id: tallyId }, { $set: { hiddenAt: hidden.at } });
          const label = input.targetType === 'idea' ? idea.title : `Comment on “${idea.title}”`;
          await recordAudit(null, {
            action: 'content.hidden',
            targetType: input.targetType,
            targetId: input.commentId ?? input.ideaId,
            targetLabel: label,
            before: { hidden: null },
            after: { hidden: 'reports' },
            reason: `${tally.count} reports`,
          });
          await intent.done();
          deps.events.emit('curation.queue_changed', { challengeId: challenge.id, ideaId: input.ideaId, byName: hidden.byName });
        }
      }
      return { recorded: true };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
