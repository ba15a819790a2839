import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { Forbidden } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { Comparisons } from './comparisons.service.ts';

const ideaId = z.string().regex(/^[0-9a-f]{24}$/, 'community.compare.unknownIdea');
const answerInput = z.object({
  leftId: ideaId,
  rightId: ideaId,
  choice: z.enum(['left', 'right', 'skip'], { message: 'community.compare.chooseOne' }),
});

export function comparisonsRoutes({ comparisons }: { comparisons: Comparisons }): Router {
  const router = Router();

  router.get('/challenges/:challengeId/compare', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    try {
      const next = await comparisons.nextPair(actorOf(req), challengeId);
      res.render('community/compare', { title: message('community.compare.title', { challenge: next.challenge.title }), challengeId, ...next });
    } catch (error) {
      // Refused (not a challenge the actor may not see: that is a 404): say why, on this page.
      if (!(error instanceof Forbidden)) throw error;
      res.status(403).render('community/compare', { title: message('community.compare.heading'), challengeId, refusal: error.text });
    }
  });

  router.post('/challenges/:challengeId/compare', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const input = parseInput(answerInput, req.body);
    const { recorded } = await comparisons.answer(actorOf(req), challengeId, input);
    const notice = message(input.choice === 'skip' ? 'community.compare.skipped' : recorded ? 'community.compare.counted' : 'community.compare.already');
    await redirectWithNotice(req, res, `/challenges/${challengeId}/compare`, 'success', notice);
  });

  return router;
}
