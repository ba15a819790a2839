import { Router } from 'express';
import { actorOf, requireSignIn, safeReturnTo } from '../../web/auth.ts';
import { Conflict } from '../../shared/errors.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { responseLocale } from '../../web/locale.ts';
import { message, translate } from '../../i18n/i18n.ts';
import type { Votes, VoteState } from './votes.service.ts';

/** The list page a vote came from, at the idea's card (unless it names a place itself); home when the way back leads elsewhere. */
function backToList(returnTo: string, ideaId: string): string {
  const path = safeReturnTo(returnTo);
  return path !== returnTo || path.includes('#') ? path : `${path}#idea-${ideaId}`;
}

export function votesRoutes({ votes }: { votes: Votes }): Router {
  const router = Router();
  router.post('/ideas/:id/vote', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const body = req.body as { action?: string; returnTo?: string };
    const withdraw = body.action === 'withdraw';
    // From a list: its page, at this idea (the list's one form carries the page for all its buttons).
    const back = body.returnTo ? backToList(body.returnTo, ideaId) : null;
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
