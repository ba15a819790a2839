import { message, type Message } from '../../i18n/i18n.ts';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../shared/errors.ts';
import type { EventBus, Intent } from '../../shared/events.ts';
import { shownName } from '../../shared/personal-data.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { CommentThread, type StoredComment } from '../community/comment.model.ts';
import { openTally, Report, REPORT_REASON_LABELS, ReportTally, type REPORT_REASONS } from '../community/report.model.ts';
import type { UserDirectory } from '../accounts/user-directory.ts';
import { Idea } from '../ideas/idea.model.ts';
import type { Ideas } from '../ideas/ideas.service.ts';
import { canCurate } from './curation.policy.ts';
import { hiddenNote } from './hidden-view.ts';
import { resolveTally, setHidden, type ContentTarget, type HiddenState } from './hiding.ts';
import type { Screening } from './screening.service.ts';

type Deps = { events: EventBus; ideas: Ideas; screening: Screening; directory: UserDirectory };
type Moderated = { action: 'hidden' | 'restored' | 'removed'; cause: 'reports' | 'copilot'; reason: string; before: HiddenState | null; after: HiddenState | null };

const requireReason = (reason: string, why: Message) => {
  if (!reason.trim()) throw new Invalid({ reason: why });
};

export function createModeration({ events, ideas, screening, directory }: Deps) {
  const writes = { lifecycle: ideas.lifecycle };

  // Hiding and removing store the event's mark in the hidden state they set; a restore is the
  // state of being visible again, which is all its notices and counters tell.
  events.verifyWith('content.moderated', async (payload, mark) => {
    const hidden = payload.commentId
      ? (await CommentThread.findById(payload.ideaId, { comments: 1 }).lean())?.comments.find((comment) => comment.id === payload.commentId)?.hidden
      : (await Idea.findById(payload.ideaId, { hidden: 1 }).lean())?.hidden;
    const shown = !hidden?.cause;
    return (payload.action === 'restored' ? shown : hidden?.key === mark) ? payload : null;
  });

  /** Recorded before the moderation writes; `announce` tells it, or the refusal drops it. */
  function intendModeration(target: ContentTarget, context: Awaited<ReturnType<typeof curatedTarget>>, action: Moderated['action'], cause: Moderated['cause'], reason: string) {
    const { idea, challenge, authorId } = context;
    return events.intend(['content.moderated', { challengeId: challenge.id, ideaId: target.ideaId, commentId: target.commentId ?? null, action, cause, reason, authorId, title: idea.title }]);
  }

  /** Throws `refusal` after dropping the moderation's announced event. */
  async function refuse(intent: Intent, refusal: Error): Promise<never> {
    await intent.abandon();
    throw refusal;
  }

  /** The target, its challenge and its author, when the actor curates the challenge (and it lies in `challengeId`, when given). */
  async function curatedTarget(actor: Actor, target: ContentTarget, challengeId?: string) {
    const { idea, challenge } = await ideas.visibleIdea(actor, target.ideaId);
    if (!canCurate(actor, challenge)) throw new Forbidden(message('curation.reports.forbidden'));
    if (challengeId && challenge.id !== challengeId) throw new NotFound(message('curation.reports.otherChallenge'));
    if (target.targetType === 'idea') return { idea, challenge, authorId: String(idea.authorId), label: idea.title };
    const comment = (await CommentThread.findById(target.ideaId).lean())?.comments.find((candidate) => candidate.id === target.commentId);
    if (!comment) throw new NotFound(message('curation.reports.noComment'));
    return { idea, challenge, authorId: String(comment.authorId), label: `Comment on “${idea.title}”` };
  }

  /** Every moderation leaves an audit entry, tells the author and refreshes the copilots' queues. */
  async function announce(actor: Actor, target: ContentTarget, context: Awaited<ReturnType<typeof curatedTarget>>, done: Moderated, intent: Intent) {
    const { challenge, label } = context;
    await recordAudit(actor, {
      action: `content.${done.action}`,
      targetType: target.targetType,
      targetId: target.commentId ?? target.ideaId,
      targetLabel: label,
      before: { hidden: done.before?.cause ?? null },
      after: { hidden: done.after?.cause ?? null },
      reason: done.reason,
    });
    await intent.done();
    events.emit('curation.queue_changed', { challengeId: challenge.id, ideaId: target.ideaId, byName: actor.name });
  }

  const stateBy = (actor: Actor, cause: HiddenState['cause'], reason: string): HiddenState => ({ cause, reason: reason.trim(), at: new Date(), byName: actor.name });

  /** Clears the hidden state (if any) and closes the open tally as restored; refuses when neither was there to undo. */
  async function restoreTarget(actor: Actor, target: ContentTarget, context: Awaited<ReturnType<typeof curatedTarget>>, cause: Moderated['cause'], reason: string) {
    const intent = await intendModeration(target, context, 'restored', cause, reason);
    const changed = await setHidden(target, null, (current) => current !== null, writes);
    const resolved = await resolveTally(target, 'restored', writes);
    if (!changed && !resolved) await refuse(intent, new Conflict(message('curation.reports.nothingToRestore')));
    await announce(actor, target, context, { action: 'restored', cause, reason, before: changed?.before ?? null, after: null }, intent);
  }

  return {
    /**
     * The challenge's open reports, most reported first. The tally collection holds one small
     * document per reported item, so finding a challenge's by challengeId (a scan on the
     * embedded engine) is acceptable here; the ideas and comments are then read by _id.
     */
    async reportsQueue(actor: Actor, challengeId: string) {
      const challenge = await screening.curatedChallenge(actor, challengeId);
      const tallies = await ReportTally.find({ challengeId: new mongoose.Types.ObjectId(challenge.id), status: openTally() }).lean();
      const items = await Promise.all(
        tallies.map(async (tally) => {
          const ideaId = String(tally.ideaId);
          const idea = await Idea.findById(ideaId, { title: 1, summary: 1, hidden: 1 }).lean();
          if (!idea) return null;
          const reasons = Object.entries((tally.reasons ?? {}) as Record<string, number>)
            .filter(([, count]) => count > 0)
            .map(([reason, count]) => ({ reason, label: REPORT_REASON_LABELS[reason as (typeof REPORT_REASONS)[number]] ?? reason, count }))
            .sort((a, b) => b.count - a.count);
          // What reporters wrote, without who they are (a scan of the reports: a rare page).
          const notes = (await Report.find({ ideaId, commentId: tally.commentId ?? null }, { note: 1, at: 1 }).lean())
            .filter((report) => report.note.trim())
            .sort((a, b) => b.at.getTime() - a.at.getTime())
            .slice(0, 5)
            .map((report) => report.note);
          const base = { tallyId: tally._id, ideaId, count: tally.count, reasons, notes, hiddenAt: tally.hiddenAt ?? null };
          if (!tally.commentId) {
            return { ...base, targetType: 'idea' as const, commentId: '', ideaTitle: idea.title, text: idea.summary, hidden: hiddenNote(idea.hidden) ?? '', link: `/ideas/${ideaId}` };
          }
          const comment = ((await CommentThread.findById(ideaId).lean())?.comments as StoredComment[] | undefined)?.find((candidate) => candidate.id === tally.commentId);
          if (!comment || comment.removedAt) return null;
          const commentAuthor = shownName((await directory.people([String(comment.authorId)])).get(String(comment.authorId)));
          return {
            ...base,
            targetType: 'comment' as const,
            commentId: comment.id,
            commentAuthor,
            ideaTitle: idea.title,
            text: comment.body,
            hidden: hiddenNote(comment.hidden) ?? '',
            link: `/ideas/${ideaId}#comment-${comment.id}`,
          };
        }),
      );
      const open = items.filter((item) => item !== null).sort((a, b) => b.count - a.count || a.tallyId.localeCompare(b.tallyId));
      return { challenge, items: open };
    },

    /** Reviewed and fine: visible to the crowd again, its reports closed. */
    async restore(actor: Actor, challengeId: string, target: ContentTarget, reason = '') {
      const context = await curatedTarget(actor, target, challengeId);
      await restoreTarget(actor, target, context, 'reports', reason.trim());
    },

    /** Reviewed and against the rules: removed for good with the reason; its authors and the team still see it. */
    async remove(actor: Actor, challengeId: string, target: ContentTarget, reason: string) {
      const context = await curatedTarget(actor, target, challengeId);
      requireReason(reason, message('curation.reports.sayWhyRemoved'));
      const intent = await intendModeration(target, context, 'removed', 'reports', reason.trim());
      const after = { ...stateBy(actor, 'removed', reason), key: intent.mark };
      const changed = (await setHidden(target, after, (current) => current?.cause !== 'removed', writes)) ?? (await refuse(intent, new Conflict(message('curation.reports.alreadyRemoved'))));
      await resolveTally(target, 'removed', writes);
      await announce(actor, target, context, { action: 'removed', cause: 'reports', reason: after.reason, before: changed.before, after }, intent);
    },

    /** A copilot's call, with a reason, on any idea or comment of the challenge. */
    async hide(actor: Actor, target: ContentTarget, reason: string) {
      const context = await curatedTarget(actor, target);
      requireReason(reason, message('curation.reports.sayWhyHidden'));
      const intent = await intendModeration(target, context, 'hidden', 'copilot', reason.trim());
      const after = { ...stateBy(actor, 'copilot', reason), key: intent.mark };
      if (!(await setHidden(target, after, (current) => current === null, writes))) await refuse(intent, new Conflict(message('curation.reports.alreadyHidden')));
      await announce(actor, target, context, { action: 'hidden', cause: 'copilot', reason: after.reason, before: null, after }, intent);
    },

    /** Shows it to the crowd again; any open reports count as reviewed, so they do not hide it again at once. */
    async unhide(actor: Actor, target: ContentTarget) {
      const context = await curatedTarget(actor, target);
      await restoreTarget(actor, target, context, 'copilot', '');
    },
  };
}

export type Moderation = ReturnType<typeof createModeration>;
