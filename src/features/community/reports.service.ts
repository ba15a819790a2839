import type { Actor } from '../../shared/actor.ts';
import { Forbidden, isDuplicateKeyError, NotFound } from '../../shared/errors.ts';
import type { EventBus } from '../../shared/events.ts';
import { CommentThread } from './comment.model.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import { Report, ReportTally, type REPORT_REASONS } from './report.model.ts';

export type ReportInput = { targetType: 'idea' | 'comment'; ideaId: string; commentId?: string; reason: (typeof REPORT_REASONS)[number]; note: string };

export function createReports(deps: { ideas: Ideas; events: EventBus }) {
  return {
    /** Records the report once per person per item; reporters are never shown to the author. */
    async report(actor: Actor, input: ReportInput): Promise<{ recorded: boolean }> {
      const { idea, challenge } = await deps.ideas.visibleIdea(actor, input.ideaId);
      if (idea.status === 'draft') throw new NotFound('We could not find that idea.');
      if (input.targetType === 'comment') {
        const thread = await CommentThread.findById(input.ideaId).lean();
        const comment = thread?.comments.find((candidate) => candidate.id === input.commentId);
        if (!comment || comment.removedAt) throw new NotFound('No such comment.');
        if (String(comment.authorId) === actor.id) throw new Forbidden('You cannot report your own comment.');
      } else if (String(idea.authorId) === actor.id) {
        throw new Forbidden('You cannot report your own idea.');
      }
      const target = input.targetType === 'idea' ? `idea:${input.ideaId}` : `comment:${input.commentId}`;
      try {
        await Report.create({
          _id: `${target}:${actor.id}`,
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
      const tally = await ReportTally.findOneAndUpdate(
        { _id: target },
        { $inc: { count: 1 }, $set: { challengeId: challenge.id, ideaId: input.ideaId, commentId: input.commentId ?? null } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      deps.events.emit('content.reported', { challengeId: challenge.id, ideaId: input.ideaId, commentId: input.commentId ?? null, count: tally?.count ?? 1 });
      return { recorded: true };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
