import { Router, type Request, type Response } from 'express';
import { Conflict, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { BacklogPages } from './backlog-pages.ts';
import { canManageBacklogs } from './backlogs.policy.ts';
import { addBacklogInput, boardQuery, moveInput, ownersInput, promoteInput, reviewInput } from './backlogs.schemas.ts';
import type { Backlogs } from './backlogs.service.ts';
import type { BacklogItems } from './items.service.ts';
import type { Review } from './review.service.ts';
import { message, type Text } from '../../i18n/i18n.ts';

type Deps = { backlogs: Backlogs; items: BacklogItems; pages: BacklogPages; review: Review };

export function backlogsRoutes({ backlogs, items, pages, review }: Deps): Router {
  const router = Router();
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function renderOverview(req: Request, res: Response, form: { errors?: Record<string, Text>; values?: Record<string, unknown> } = {}) {
    const actor = actorOf(req);
    res.render('backlogs/index', {
      title: message('backlogs.title'),
      backlogs: await pages.overview(actor),
      canManage: canManageBacklogs(actor),
      errors: form.errors ?? {},
      values: form.values ?? {},
    });
  }

  router.get('/backlogs', requireSignIn, (req, res) => renderOverview(req, res));

  router.post('/backlogs', requireSignIn, async (req, res) => {
    try {
      await backlogs.add(actorOf(req), parseInput(addBacklogInput, req.body));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderOverview(req, res, { errors: error.fieldTexts, values: req.body as Record<string, unknown> });
    }
    await redirectWithNotice(req, res, '/backlogs', 'success', message('backlogs.index.added'));
  });

  router.post('/backlogs/:backlogId/owners', requireSignIn, async (req, res) => {
    const backlogId = String(req.params.backlogId);
    await backlogs.setOwners(actorOf(req), backlogId, parseInput(ownersInput, req.body).owners);
    await redirectWithNotice(req, res, '/backlogs', 'success', message('backlogs.index.ownersSaved'));
  });

  router.get('/backlogs/:backlogId', requireSignIn, async (req, res) => {
    const board = await pages.board(actorOf(req), String(req.params.backlogId), boardQuery.parse(req.query));
    res.render('backlogs/board', { title: message('backlogs.board.title', { name: board.backlog.name }), ...board });
  });

  router.get('/backlog-items/:itemId', async (req, res) => {
    const view = await pages.item(req.user ?? null, String(req.params.itemId));
    res.render('backlogs/item', { title: view.item.title, ...view, errors: {}, values: {} });
  });

  router.post('/backlog-items/:itemId/move', requireSignIn, async (req, res) => {
    const itemId = String(req.params.itemId);
    let item;
    try {
      const input = parseInput(moveInput, req.body);
      item = await items.move({ actor: actorOf(req), via: 'web' }, itemId, input.to, input.note);
    } catch (error) {
      // A refused move (no note for shipped, a move the workflow forbids) comes back to the item's form, note kept.
      if (wantsJson(req) || !(error instanceof Invalid || error instanceof Conflict)) throw error;
      res.status(error instanceof Invalid ? 400 : 409);
      const view = await pages.item(req.user ?? null, itemId);
      const errors = error instanceof Invalid ? error.fieldTexts : {};
      return res.render('backlogs/item', {
        title: view.item.title,
        ...view,
        errors,
        errorSummary: error instanceof Invalid ? error.text : error.text,
        values: req.body as Record<string, unknown>,
      });
    }
    if (wantsJson(req)) return res.json({ item: { id: item.id, status: item.status } });
    const back = typeof req.body?.returnTo === 'string' && req.body.returnTo.startsWith('/backlogs/') ? req.body.returnTo : `/backlog-items/${itemId}`;
    await redirectWithNotice(req, res, back, 'success', message('backlogs.item.moved', { title: item.title }));
  });

  router.post('/ideas/:ideaId/promote', requireSignIn, async (req, res) => {
    const input = parseInput(promoteInput, req.body);
    const { item, created } = await items.promote(actorOf(req), String(req.params.ideaId), input.backlogId, { intoItemId: input.intoItemId || undefined });
    await redirectWithNotice(req, res, `/backlog-items/${item.id}`, 'success', message(created ? 'backlogs.item.promoted' : 'backlogs.item.alreadyFeeds'));
  });

  router.get('/challenges/:challengeId/outcomes', async (req, res) => {
    const outcomes = await pages.outcomes(req.user ?? null, String(req.params.challengeId));
    res.render('backlogs/outcomes', { title: message('backlogs.outcomes.title', { title: outcomes.challenge.title }), ...outcomes });
  });

  async function renderReview(req: Request, res: Response, form: { errors?: Record<string, Text>; ideaId?: string } = {}) {
    const view = await review.page(actorOf(req), String(req.params.challengeId));
    res.render('backlogs/review', { title: message('backlogs.review.title', { title: view.challenge.title }), ...view, errors: form.errors ?? {}, failedIdeaId: form.ideaId ?? '' });
  }

  router.get('/challenges/:challengeId/review', requireSignIn, (req, res) => renderReview(req, res));

  router.post('/challenges/:challengeId/review/:ideaId', requireSignIn, async (req, res) => {
    const challengeId = String(req.params.challengeId);
    const ideaId = String(req.params.ideaId);
    const actor = actorOf(req);
    const input = parseInput(reviewInput, req.body);
    try {
      if (input.action === 'accept') await review.accept(actor, challengeId, ideaId, input.text);
      else if (input.action === 'ask') await review.ask(actor, challengeId, ideaId, input.text);
      else await review.decline(actor, challengeId, ideaId, input.text);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      return renderReview(req, res, { errors: error.fieldTexts, ideaId });
    }
    await redirectWithNotice(req, res, `/challenges/${challengeId}/review`, 'success', message(`backlogs.review.done.${input.action}`));
  });

  return router;
}
