import { Router } from 'express';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import type { Votes } from './votes.service.ts';

export function votesRoutes({ votes }: { votes: Votes }): Router {
  const router = Router();
  router.post('/ideas/:id/vote', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const withdraw = (req.body as { action?: string }).action === 'withdraw';
    if (withdraw) await votes.withdrawVote(actorOf(req), ideaId);
    else await votes.castVote(actorOf(req), ideaId);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json(await votes.voteState(actorOf(req), ideaId));
      return;
    }
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', withdraw ? 'Your vote is withdrawn.' : 'Thank you for your vote.');
  });
  return router;
}
