import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { message, translate, type Text } from '../../i18n/i18n.ts';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { responseLocale } from '../../web/locale.ts';
import { parseInput } from '../../web/validate.ts';
import type { ShortlistService } from './shortlist.service.ts';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'curation.shortlist.chooseIdea');
const note = z.string().trim().max(2_000, 'curation.shortlist.noteTooLong').default('');
const reason = z.string().trim().max(500, 'curation.shortlist.reasonTooLong').default('');

const addInput = z.object({ ideaId: objectId, note, reason });
const noteInput = z.object({ note, reason });
const moveInput = z.object({ direction: z.enum(['up', 'down'], { message: 'curation.shortlist.upOrDown' }), reason });
const removeInput = z.object({ reason });
// Every idea on the list, in the new order: one `order` field per row, as the page sends them.
const orderInput = z.object({ order: z.preprocess((value) => [value ?? []].flat(), z.array(objectId).min(1, 'curation.shortlist.sendOrder').max(500)), reason });

const shortlistPath = (challengeId: string) => `/challenges/${challengeId}/shortlist`;

type FormState = { errors: Record<string, Text>; errorSummary: Text; failedForm: string; values: Record<string, unknown> };

/** The summary links each message to its field: forms repeat per idea, so ids carry the form's key. */
function summaryLinks(errors: Record<string, Text>, formKey: string): Record<string, Text> {
  const [ideaId, form] = [formKey.slice(0, formKey.lastIndexOf('-')), formKey.slice(formKey.lastIndexOf('-') + 1)];
  const target = (field: string) => {
    if (field === 'reason') return `reason-${formKey}`;
    if (field === 'note') return form === 'add' ? `add-note-${ideaId}` : `note-${ideaId}`;
    return form === 'add' ? 'candidates-title' : 'list-title';
  };
  return Object.fromEntries(Object.entries(errors).map(([field, message]) => [target(field), message]));
}

export function shortlistRoutes({ shortlist }: { shortlist: ShortlistService }): Router {
  const router = Router();
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function render(req: Request, res: Response, form?: FormState) {
    const view = await shortlist.view(actorOf(req), String(req.params.challengeId));
    res.render('curation/shortlist', {
      title: message('curation.shortlist.title', { challenge: view.challenge.title }),
      ...view,
      errors: {},
      values: {},
      ...form,
      summary: form ? summaryLinks(form.errors, form.failedForm) : {},
    });
  }

  /**
   * Runs one change and goes back to the list. Field problems re-render the list with the
   * message beside the form that failed (`formKey`); a parallel change shows the list as it is now.
   */
  async function change(req: Request, res: Response, formKey: string, run: (actor: Actor) => Promise<Text>) {
    const challengeId = String(req.params.challengeId);
    try {
      const done = await run(actorOf(req));
      // A script shows the answer as it is: in the page's language.
      if (wantsJson(req)) return void res.json({ message: translate(responseLocale(res), done) });
      await redirectWithNotice(req, res, shortlistPath(challengeId), 'success', done);
    } catch (error) {
      if (wantsJson(req)) throw error;
      if (error instanceof Conflict) return redirectWithNotice(req, res, shortlistPath(challengeId), 'error', error.text);
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      await render(req, res, { errors: error.fieldTexts, errorSummary: error.text, failedForm: formKey, values: req.body as Record<string, unknown> });
    }
  }

  router.get('/challenges/:challengeId/shortlist', requireSignIn, async (req, res) => {
    await render(req, res);
  });

  router.post('/challenges/:challengeId/shortlist', requireSignIn, async (req, res) => {
    const ideaId = String((req.body as { ideaId?: unknown }).ideaId ?? '');
    await change(req, res, `${ideaId}-add`, async (actor) => {
      const input = parseInput(addInput, req.body);
      const { added, title } = await shortlist.add(actor, String(req.params.challengeId), input.ideaId, input.note, input.reason);
      return message(added ? 'curation.shortlist.added' : 'curation.shortlist.alreadyAdded', { title });
    });
  });

  router.post('/challenges/:challengeId/shortlist/:ideaId/note', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    await change(req, res, `${ideaId}-note`, async (actor) => {
      const input = parseInput(noteInput, req.body);
      const { title } = await shortlist.setNote(actor, String(req.params.challengeId), ideaId, input.note, input.reason);
      return message('curation.shortlist.noteSaved', { title });
    });
  });

  router.post('/challenges/:challengeId/shortlist/:ideaId/move', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    await change(req, res, `${ideaId}-move`, async (actor) => {
      const input = parseInput(moveInput, req.body);
      const { moved, title } = await shortlist.move(actor, String(req.params.challengeId), ideaId, input.direction, input.reason);
      const up = input.direction === 'up';
      return message(moved ? (up ? 'curation.shortlist.movedUp' : 'curation.shortlist.movedDown') : up ? 'curation.shortlist.atTop' : 'curation.shortlist.atBottom', { title });
    });
  });

  router.post('/challenges/:challengeId/shortlist/order', requireSignIn, async (req, res) => {
    await change(req, res, 'order-move', async (actor) => {
      const input = parseInput(orderInput, req.body);
      const { moved } = await shortlist.reorder(actor, String(req.params.challengeId), input.order, input.reason);
      return message(moved ? 'curation.shortlist.reordered' : 'curation.shortlist.sameOrder');
    });
  });

  router.post('/challenges/:challengeId/shortlist/:ideaId/remove', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    await change(req, res, `${ideaId}-remove`, async (actor) => {
      const input = parseInput(removeInput, req.body);
      const { title, final } = await shortlist.remove(actor, String(req.params.challengeId), ideaId, input.reason);
      return message(final ? 'curation.shortlist.removedFinal' : 'curation.shortlist.removed', { title });
    });
  });

  return router;
}
