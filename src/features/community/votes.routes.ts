import { Router } from 'express';
import { actorOf, requireSignIn, safeReturnTo } from '../../web/auth.ts';
import { Conflict } from '../../shared/errors.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { responseLocale } from '../../web/locale.ts';
import { message, translate } from '../../i18n/i18n.ts';
import type { Votes, VoteState } from './votes.service.ts';

export function votesRoutes({ votes }: { votes: Votes }): Router {
  const router = Router();
  router.post('/ideas/:id/vote', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const body = req.body as { action?: string; returnTo?: string };
    const withdraw = body.action === 'withdraw';
    const back = body.returnTo ? safeReturnTo(body.returnTo) : null;
    let state: VoteState;
    try {
      state = withdraw ? await votes.withdrawVote(actorOf(req), ideaId) : await votes.castVote(actorOf(req), ideaId);
    } catch (error) {
      // From a list, a used-up vote budget is said on the list itself rather than on an error page.
      if (!(error instanceof Conflict) || !back || req.accepts(['html', 'json']) === 'json') throw error;
      return redirectWithNotice(req, res, back, 'error', error.text);
    }
    if (req.accepts(['html', 'json']) === 'json') {
      // Scripts show the refusal as it comes: in words, in the person's language.
      res.json({ ...state, refusal: state.refusal && translate(responseLocale(res), state.refusal) });
      return;
    }
    // A vote from a list returns to the same place in it.
    await redirectWithNotice(req, res, back ?? `/ideas/${ideaId}`, 'success', message(withdraw ? 'community.vote.withdrawn' : 'community.vote.thanks'));
  });
  return router;
}
