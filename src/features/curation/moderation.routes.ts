import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { Moderation } from './moderation.service.ts';

const reasonField = z.string().trim().max(1_000, 'Reasons are at most 1,000 characters.').default('');

/** Which reported item a queue form acts on. */
const queueAction = z.object({
  targetType: z.enum(['idea', 'comment'], { message: 'Choose an item from the reports queue.' }),
  ideaId: z.string().regex(/^[0-9a-f]{24}$/, 'Choose an item from the reports queue.'),
  commentId: z.union([z.string().uuid(), z.literal('')]).default(''),
  reason: reasonField,
});
const reasonInput = z.object({ reason: reasonField });

const reportsPath = (challengeId: string) => `/challenges/${challengeId}/curation/reports`;

export function moderationRoutes({ moderation }: { moderation: Moderation }): Router {
  const router = Router();

  async function renderQueue(req: Request, res: Response, failed?: { tallyId: string; errors: Record<string, string>; reason: string }) {
    const queue = await moderation.reportsQueue(actorOf(req), String(req.params.challengeId));
    const items = queue.items.map((item, index) => {
      const error = failed && item.tallyId === failed.tallyId ? (failed.errors.reason ?? Object.values(failed.errors)[0]) : undefined;
      return { ...item, fieldId: `remove-reason-${index}`, error, reason: error ? failed!.reason : '' };
    });
    const invalid = items.find((item) => item.error);
    res.render('curation/reports', {
      title: `Reports: ${queue.challenge.title}`,
      ...queue,
      items,
      errors: invalid ? { [invalid.fieldId]: invalid.error } : {},
      errorSummary: invalid ? 'Nothing was changed: see the highlighted field.' : undefined,
    });
  }

  /** The queue form's target, checked, with its reason. */
  function queueTarget(req: Request) {
    const input = parseInput(queueAction, req.body);
    if (input.targetType === 'comment' && !input.commentId) throw new Invalid({ commentId: 'Choose an item from the reports queue.' });
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
    await redirectWithNotice(req, res, reportsPath(challengeId), 'success', `Restored: the ${target.targetType} is visible to the crowd again and its reports are closed.`);
  });

  router.post('/challenges/:challengeId/curation/reports/remove', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const { target, reason, tallyId } = queueTarget(req);
    try {
      await moderation.remove(actorOf(req), challengeId, target, reason);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderQueue(req, res, { tallyId, errors: error.fields, reason });
    }
    await redirectWithNotice(req, res, reportsPath(challengeId), 'success', `Removed: the crowd now reads the reason instead of the ${target.targetType}; its author was told.`);
  });

  router.post('/ideas/:id/hide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    await moderation.hide(actorOf(req), { targetType: 'idea', ideaId }, parseInput(reasonInput, req.body).reason);
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', 'The idea is hidden from the crowd; its authors were told why.');
  });

  router.post('/ideas/:id/unhide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    await moderation.unhide(actorOf(req), { targetType: 'idea', ideaId });
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', 'The idea is visible to the crowd again.');
  });

  router.post('/ideas/:id/comments/:commentId/hide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const commentId = String(req.params.commentId);
    await moderation.hide(actorOf(req), { targetType: 'comment', ideaId, commentId }, parseInput(reasonInput, req.body).reason);
    await redirectWithNotice(req, res, `/ideas/${ideaId}#comment-${commentId}`, 'success', 'The comment is hidden from the crowd; its author was told why.');
  });

  router.post('/ideas/:id/comments/:commentId/unhide', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const commentId = String(req.params.commentId);
    await moderation.unhide(actorOf(req), { targetType: 'comment', ideaId, commentId });
    await redirectWithNotice(req, res, `/ideas/${ideaId}#comment-${commentId}`, 'success', 'The comment is visible to the crowd again.');
  });

  return router;
}
