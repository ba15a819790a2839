import { message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import { Conflict, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { answerInput, appealInput } from './appeals.schemas.ts';
import type { Appeals } from './appeals.service.ts';

const appealsPath = (challengeId: string) => `/challenges/${challengeId}/judging/appeals`;

export function appealsRoutes({ appeals }: { appeals: Appeals }): Router {
  const router = Router();

  async function renderFeedback(req: Request, res: Response, form: { errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    const view = await appeals.feedback(actorOf(req), String(req.params.id));
    res.render('judging/feedback', {
      title: message('judging.feedback.pageTitle', { title: view.idea.title }),
      ...view,
      errors: form.errors ?? {},
      values: form.values ?? {},
      errorSummary: form.errors ? message('judging.feedback.invalid') : undefined,
    });
  }

  async function renderAppeals(req: Request, res: Response, form: { ideaId?: string; errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    const view = await appeals.list(actorOf(req), String(req.params.challengeId));
    res.render('judging/appeals', {
      title: message('judging.appeals.pageTitle', { title: view.challenge.title }),
      ...view,
      // The refused form shows what the judge typed, with the messages next to its fields.
      appeals: view.appeals.map((item) =>
        item.ideaId === form.ideaId
          ? { ...item, errors: form.errors, values: form.values, myCriteria: item.myCriteria?.map((criterion) => ({ ...criterion, score: form.values?.[`score_${criterion.index}`] ?? '' })) }
          : { ...item, errors: {}, values: {} },
      ),
      errorSummary: form.errors ? message('judging.appeals.invalid') : undefined,
    });
  }

  router.get('/ideas/:id/feedback', requireSignIn, (req, res) => renderFeedback(req, res));

  router.post('/ideas/:id/appeal', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    try {
      await appeals.appeal(actorOf(req), ideaId, parseInput(appealInput, req.body).text);
    } catch (error) {
      // Refused (the window closed meanwhile, or it was appealed already): the text typed stays on the page.
      if (!(error instanceof Invalid) && !(error instanceof Conflict)) throw error;
      res.status(error instanceof Invalid ? 400 : 409);
      // Before judging ends there is no feedback page to come back to: the refusal stands alone.
      return renderFeedback(req, res, { errors: error instanceof Invalid ? error.fieldTexts : { text: error.text }, values: req.body as Record<string, unknown> }).catch(() => {
        throw error;
      });
    }
    await redirectWithNotice(req, res, `/ideas/${ideaId}/feedback`, 'success', message('judging.feedback.sent'));
  });

  router.get('/challenges/:challengeId/judging/appeals', requireSignIn, (req, res) => renderAppeals(req, res));

  router.post('/challenges/:challengeId/judging/appeals/:ideaId', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const ideaId = String(req.params.ideaId);
    const actor = actorOf(req);
    try {
      const { challenge } = await appeals.list(actor, challengeId);
      const totals = await appeals.answer(actor, challengeId, ideaId, parseInput(answerInput(challenge.criteria.length), req.body));
      const sent =
        totals.totalBefore !== totals.totalAfter ? message('judging.appeals.sentMoved', { before: totals.totalBefore ?? '', after: totals.totalAfter ?? '' }) : message('judging.appeals.sent');
      await redirectWithNotice(req, res, appealsPath(challengeId), 'success', sent);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      await renderAppeals(req, res, { ideaId, errors: error.fieldTexts, values: req.body as Record<string, unknown> });
    }
  });

  return router;
}
