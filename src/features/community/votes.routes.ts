import { Router } from 'express';
import { actorOf, requireSignIn, safeReturnTo } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import type { Votes } from './votes.service.ts';

export function votesRoutes({ votes }: { votes: Votes }): Router {
  const router = Router();
  router.post('/ideas/:id/vote', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const body = req.body as { action?: string; returnTo?: string };
    const withdraw = body.action === 'withdraw';
    if (withdraw) await votes.withdrawVote(actorOf(req), ideaId);
    else await votes.castVote(actorOf(req), ideaId);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json(await votes.voteState(actorOf(req), ideaId));
      return;
    }
    // A vote from a list returns to the same place in it.
    const back = body.returnTo ? safeReturnTo(body.returnTo) : `/ideas/${ideaId}`;
    await redirectWithNotice(req, res, back, 'success', withdraw ? 'Your vote is withdrawn.' : 'Thank you for your vote.');
  });
  return router;
}
