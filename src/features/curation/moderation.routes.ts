import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { message, type Text } from '../../i18n/i18n.ts';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { Moderation } from './moderation.service.ts';

const reasonField = z.string().trim().max(1_000, 'curation.reports.reasonTooLong').default('');

/** Which reported item a queue form acts on. */
const queueAction = z.object({
  targetType: z.enum(['idea', 'comment'], { message: 'curation.reports.chooseItem' }),
  ideaId: z.string().regex(/^[0-9a-f]{24}$/, 'curation.reports.chooseItem'),
  commentId: z.union([z.string().uuid(), z.literal('')]).default(''),
  reason: reasonField,
});
const reasonInput = z.object({ reason: reasonField });

const reportsPath = (challengeId: string) => `/challenges/${challengeId}/curation/reports`;

export function moderationRoutes({ moderation }: { moderation: Moderation }): Router {
  const router = Router();

  async function renderQueue(req: Request, res: Response, failed?: { tallyId: string; errors: Record<string, Text>; reason: string }) {
    const queue = await moderation.reportsQueue(actorOf(req), String(req.params.challengeId));
    const items = queue.items.map((item, index) => {
      const error = failed && item.tallyId === failed.tallyId ? (failed.errors.reason ?? Object.values(failed.errors)[0]) : undefined;
      return { ...item, fieldId: `remove-reason-${index}`, error, reason: error ? failed!.reason : '' };
    });
    const invalid = items.find((item) => item.error);
    res.render('curation/reports', {
      title: message('curation.reports.title', { challenge: queue.challenge.title }),
      ...queue,
      items,
      errors: invalid ? { [invalid.fieldId]: invalid.error } : {},
      errorSummary: invalid ? message('curation.reports.notChanged') : undefined,
    });
  }

  /** The queue form's target, checked, with its reason. */
  function queueTarget(req: Request) {
    const input = parseInput(queueAction, req.body);
    if (input.targetType === 'comment' && !input.commentId) throw new Invalid({ commentId: message('curation.reports.chooseItem') });
    const target = { targetType: input.targetType, ideaId: input.ideaId, commentId: input.targetType === 'comment' ? input.commentId : null };
    return { target, reason: input.reason, tallyId: input.targetType === 'idea' ? `idea:${input.ideaId}` : `comment:${input.commentId}` };
  }

  router.get('/challenges/:challengeId/curation/reports', requireSignIn, async (req, res) => {
    await renderQueue(req, res);
  });

  router.post('/challenges/:challengeId/curation/reports/restore', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const { target, reason } = queueTarget(req);
    await moderation.restore(actorOf(req), challengeId, target, reason);
    await redirectWithNotice(req, res, reportsPath(challengeId), 'success', message(`curation.reports.restored.${target.targetType}`));
  });

  router.post('/challenges/:challengeId/curation/reports/remove', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const { target, reason, tallyId } = queueTarget(req);
    try {
      await moderation.remove(actorOf(req), challengeId, target, reason);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderQueue(req, res, { tallyId, errors: error.fieldTexts, reason });
    }
    await redirectWithNotice(req, res, reportsPath(challengeId), 'success', message(`curation.reports.removed.${target.targetType}`));
  });

  router.post('/ideas/:id/hide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    await moderation.hide(actorOf(req), { targetType: 'idea', ideaId }, parseInput(reasonInput, req.body).reason);
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', message('curation.reports.ideaHidden'));
  });

  router.post('/ideas/:id/unhide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    await moderation.unhide(actorOf(req), { targetType: 'idea', ideaId });
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', message('curation.reports.ideaShown'));
  });

  router.post('/ideas/:id/comments/:commentId/hide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const commentId = String(req.params.commentId);
    await moderation.hide(actorOf(req), { targetType: 'comment', ideaId, commentId }, parseInput(reasonInput, req.body).reason);
    await redirectWithNotice(req, res, `/ideas/${ideaId}#comment-${commentId}`, 'success', message('curation.reports.commentHidden'));
  });

  router.post('/ideas/:id/comments/:commentId/unhide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const commentId = String(req.params.commentId);
    await moderation.unhide(actorOf(req), { targetType: 'comment', ideaId, commentId });
    await redirectWithNotice(req, res, `/ideas/${ideaId}#comment-${commentId}`, 'success', message('curation.reports.commentShown'));
  });

  return router;
}
