import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../shared/actor.ts';
import { Conflict, Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { ShortlistService } from './shortlist.service.ts';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'Choose an idea from the list.');
const note = z.string().trim().max(2_000, 'Notes are at most 2,000 characters.').default('');
const reason = z.string().trim().max(500, 'Reasons are at most 500 characters.').default('');

const addInput = z.object({ ideaId: objectId, note, reason });
const noteInput = z.object({ note, reason });
const moveInput = z.object({ direction: z.enum(['up', 'down'], { message: 'Choose up or down.' }), reason });
const removeInput = z.object({ reason });
// Every idea on the list, in the new order: one `order` field per row, as the page sends them.
const orderInput = z.object({ order: z.preprocess((value) => [value ?? []].flat(), z.array(objectId).min(1, 'Send the list in its new order.').max(500)), reason });

const shortlistPath = (challengeId: string) => `/challenges/${challengeId}/shortlist`;

type FormState = { errors: Record<string, string>; errorSummary: string; failedForm: string; values: Record<string, unknown> };

/** The summary links each message to its field: forms repeat per idea, so ids carry the form's key. */
function summaryLinks(errors: Record<string, string>, formKey: string): Record<string, string> {
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
    res.render('curation/shortlist', { title: `Shortlist: ${view.challenge.title}`, ...view, errors: {}, values: {}, ...form, summary: form ? summaryLinks(form.errors, form.failedForm) : {} });
  }

  /**
   * Runs one change and goes back to the list. Field problems re-render the list with the
   * message beside the form that failed (`formKey`); a parallel change shows the list as it is now.
   */
  async function change(req: Request, res: Response, formKey: string, run: (actor: Actor) => Promise<string>) {
    const challengeId = String(req.params.challengeId);
    try {
      const message = await run(actorOf(req));
      if (wantsJson(req)) return void res.json({ message });
      await redirectWithNotice(req, res, shortlistPath(challengeId), 'success', message);
    } catch (error) {
      if (wantsJson(req)) throw error;
      if (error instanceof Conflict) return redirectWithNotice(req, res, shortlistPath(challengeId), 'error', error.message);
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      await render(req, res, { errors: error.fields, errorSummary: error.message, failedForm: formKey, values: req.body as Record<string, unknown> });
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
      return added ? `“${title}” is on the shortlist.` : `“${title}” was already on the shortlist.`;
    });
  });

  router.post('/challenges/:challengeId/shortlist/:ideaId/note', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    await change(req, res, `${ideaId}-note`, async (actor) => {
      const input = parseInput(noteInput, req.body);
      const { title } = await shortlist.setNote(actor, String(req.params.challengeId), ideaId, input.note, input.reason);
      return `Note for “${title}” saved.`;
    });
  });

  router.post('/challenges/:challengeId/shortlist/:ideaId/move', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    await change(req, res, `${ideaId}-move`, async (actor) => {
      const input = parseInput(moveInput, req.body);
      const { moved, title } = await shortlist.move(actor, String(req.params.challengeId), ideaId, input.direction, input.reason);
      return moved ? `“${title}” moved ${input.direction}.` : `“${title}” is already at the ${input.direction === 'up' ? 'top' : 'bottom'}.`;
    });
  });

  router.post('/challenges/:challengeId/shortlist/order', requireSignIn, async (req, res) => {
    await change(req, res, 'order-move', async (actor) => {
      const input = parseInput(orderInput, req.body);
      const { moved } = await shortlist.reorder(actor, String(req.params.challengeId), input.order, input.reason);
      return moved ? 'The shortlist is in its new order.' : 'The shortlist was already in that order.';
    });
  });

  router.post('/challenges/:challengeId/shortlist/:ideaId/remove', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.ideaId);
    await change(req, res, `${ideaId}-remove`, async (actor) => {
      const input = parseInput(removeInput, req.body);
      const { title } = await shortlist.remove(actor, String(req.params.challengeId), ideaId, input.reason);
      return `“${title}” is off the shortlist and approved again.`;
    });
  });

  return router;
}
