import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { message, type Text } from '../../i18n/i18n.ts';
import { AppError, Conflict, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { Merges } from './merges.service.ts';

const objectId = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{24}$/);
const mergeInput = z.object({
  targetId: z
    .string({ message: 'curation.merge.chooseTarget' })
    .trim()
    .regex(/^[0-9a-f]{24}$/, 'curation.merge.chooseTarget'),
});
const compareQuery = z.object({ left: objectId.catch(''), right: objectId.catch('') });

export function mergesRoutes({ merges }: { merges: Merges }): Router {
  const router = Router();
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function renderCompare(req: Request, res: Response, leftId: string, rightId: string, refusal?: Text) {
    const view = await merges.compare(actorOf(req), String(req.params.challengeId), leftId, rightId);
    res.render('curation/compare', { title: message('curation.merge.title', { left: view.left.title, right: view.right.title }), ...view, errorSummary: refusal });
  }

  router.get('/challenges/:challengeId/curation/compare', requireSignIn, async (req, res) => {
    const { left, right } = compareQuery.parse(req.query);
    if (!left || !right) throw new Invalid({ form: message('curation.merge.chooseTwo') });
    await renderCompare(req, res, left, right);
  });

  router.post('/challenges/:challengeId/curation/ideas/:ideaId/merge', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const ideaId = String(req.params.ideaId);
    const { targetId } = parseInput(mergeInput, req.body);
    try {
      const { title, targetTitle } = await merges.merge(actorOf(req), challengeId, ideaId, targetId);
      const next = `/challenges/${challengeId}/curation/next?after=${ideaId}`;
      if (wantsJson(req)) return res.json({ merged: ideaId, into: targetId, next });
      await redirectWithNotice(req, res, next, 'success', message('curation.merge.merged', { title, target: targetTitle }), {
        href: `/ideas/${ideaId}#merged-into`,
        label: message('curation.merge.undo'),
      });
    } catch (error) {
      if (!(error instanceof Invalid || error instanceof Conflict) || wantsJson(req)) throw error;
      // A refused merge lands on the two ideas side by side with the reason; when they cannot be
      // shown together (another challenge's idea), the error page says why.
      const reason = error instanceof Invalid ? (error.fieldTexts.targetId ?? error.text) : error.text;
      try {
        await renderCompare(req, res.status(error.status), ideaId, targetId, reason);
      } catch (failure) {
        throw failure instanceof AppError ? error : failure;
      }
    }
  });

  router.post('/challenges/:challengeId/curation/ideas/:ideaId/unmerge', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    const { title, targetTitle } = await merges.unmerge(actorOf(req), String(req.params.challengeId), ideaId);
    if (wantsJson(req)) return res.json({ unmerged: ideaId });
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', message('curation.merge.unmerged', { title, target: targetTitle }));
  });

  return router;
}
