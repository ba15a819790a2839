import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { Invalid, type FieldErrors } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { WEBHOOK_EVENTS } from './webhook.model.ts';
import type { Webhooks } from './webhooks.service.ts';

declare module 'express-session' {
  interface SessionData {
    /** A new webhook's secret, kept for the one page view that shows it. */
    revealedWebhookSecret?: { id: string; secret: string };
  }
}

const webhookInput = z.object({
  url: z.string().trim().min(1, 'Enter the URL that receives the events.').max(2000, 'Use a URL of at most 2,000 characters.'),
  events: z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.enum(WEBHOOK_EVENTS, 'Choose among the listed events.')).min(1, 'Choose at least one event.')),
});

const EVENT_HINTS: Record<(typeof WEBHOOK_EVENTS)[number], string> = {
  'idea.submitted': 'An idea is submitted (or resubmitted after changes).',
  'idea.status_changed': 'An idea is approved, rejected, merged, shortlisted, scored, wins, is promoted, ships or is declined.',
  'backlog_item.status_changed': 'A backlog item moves, on its board or through the status API.',
  'challenge.phase_changed': 'A challenge opens, moves to curation, judging, appeals, decided or closes.',
};

export function webhooksRoutes({ webhooks }: { webhooks: Webhooks }): Router {
  const router = Router();
  router.use(requireSignIn);

  async function renderList(req: Request, res: Response, form: { values?: { url?: string; events?: string[] }; errors?: FieldErrors } = {}) {
    const list = await webhooks.list(actorOf(req));
    const chosen = new Set(form.values?.events ?? []);
    res.render('admin/webhooks', {
      title: 'Webhooks',
      webhooks: list,
      eventOptions: WEBHOOK_EVENTS.map((event) => ({ event, hint: EVENT_HINTS[event], checked: chosen.has(event) })),
      values: form.values ?? {},
      errors: form.errors ?? {},
      errorSummary: form.errors ? 'Please correct the highlighted fields.' : undefined,
    });
  }

  router.get('/', (req, res) => renderList(req, res));

  router.post('/', async (req, res) => {
    const body = req.body as { url?: string; events?: string | string[] };
    try {
      const input = parseInput(webhookInput, req.body);
      const { id, secret } = await webhooks.create(actorOf(req), input);
      req.session.revealedWebhookSecret = { id, secret };
      await redirectWithNotice(req, res, `/admin/webhooks/${id}`, 'success', 'The webhook is saved. Copy its secret now: it is shown only once.');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      await renderList(req, res, { values: { url: body.url, events: [body.events ?? []].flat() }, errors: error.fields });
    }
  });

  router.get('/:id', async (req, res) => {
    const details = await webhooks.get(actorOf(req), String(req.params.id));
    const revealed = req.session.revealedWebhookSecret;
    let secret: string | undefined;
    if (revealed?.id === details.webhook.id) {
      secret = revealed.secret;
      delete req.session.revealedWebhookSecret;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.render('admin/webhook', { title: `Webhook to ${details.webhook.url}`, ...details, secret });
  });

  router.post('/:id/active', async (req, res) => {
    const active = (req.body as { active?: string }).active === 'true';
    await webhooks.setActive(actorOf(req), String(req.params.id), active);
    await redirectWithNotice(req, res, `/admin/webhooks/${req.params.id}`, 'success', active ? 'The webhook is enabled.' : 'The webhook is disabled: nothing more is sent to it.');
  });

  router.post('/:id/test', async (req, res) => {
    await webhooks.sendTest(actorOf(req), String(req.params.id));
    await redirectWithNotice(req, res, `/admin/webhooks/${req.params.id}`, 'info', 'A test event is queued. Reload to see how the receiver answered.');
  });

  router.post('/:id/delete', async (req, res) => {
    await webhooks.remove(actorOf(req), String(req.params.id));
    await redirectWithNotice(req, res, '/admin/webhooks', 'success', 'The webhook is deleted.');
  });

  return router;
}
