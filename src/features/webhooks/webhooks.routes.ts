import { message, type Text } from '../../i18n/i18n.ts';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { Invalid } from '../../shared/errors.ts';
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
  url: z.string().trim().min(1, 'admin.webhooks.enterUrl').max(2000, 'admin.webhooks.urlTooLong'),
  events: z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.enum(WEBHOOK_EVENTS, 'admin.webhooks.listedEvents')).min(1, 'admin.webhooks.oneEvent')),
});

// What each event means, from the catalogue (`admin.webhooks.hint`; a key holds no dot, so `_` stands for it).
const eventHint = (event: (typeof WEBHOOK_EVENTS)[number]) => message(`admin.webhooks.hint.${event.replace('.', '_')}`);

export function webhooksRoutes({ webhooks }: { webhooks: Webhooks }): Router {
  const router = Router();
  router.use(requireSignIn);

  async function renderList(req: Request, res: Response, form: { values?: { url?: string; events?: string[] }; errors?: Record<string, Text> } = {}) {
    const list = await webhooks.list(actorOf(req));
    const chosen = new Set(form.values?.events ?? []);
    res.render('admin/webhooks', {
      title: message('admin.webhooks.title'),
      webhooks: list,
      eventOptions: WEBHOOK_EVENTS.map((event) => ({ event, hint: eventHint(event), checked: chosen.has(event) })),
      values: form.values ?? {},
      errors: form.errors ?? {},
      errorSummary: form.errors ? message('errors.invalid') : undefined,
    });
  }

  router.get('/', (req, res) => renderList(req, res));

  router.post('/', async (req, res) => {
    const body = req.body as { url?: string; events?: string | string[] };
    try {
      const input = parseInput(webhookInput, req.body);
      const { id, secret } = await webhooks.create(actorOf(req), input);
      req.session.revealedWebhookSecret = { id, secret };
      await redirectWithNotice(req, res, `/admin/webhooks/${id}`, 'success', message('admin.webhooks.saved'));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      await renderList(req, res, { values: { url: body.url, events: [body.events ?? []].flat() }, errors: error.fieldTexts });
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
    res.render('admin/webhook', { title: message('admin.webhook.title', { url: details.webhook.url }), ...details, secret });
  });

  router.post('/:id/active', async (req, res) => {
    const active = (req.body as { active?: string }).active === 'true';
    await webhooks.setActive(actorOf(req), String(req.params.id), active);
    await redirectWithNotice(req, res, `/admin/webhooks/${req.params.id}`, 'success', message(active ? 'admin.webhooks.enabled' : 'admin.webhooks.disabledDone'));
  });

  router.post('/:id/test', async (req, res) => {
    await webhooks.sendTest(actorOf(req), String(req.params.id));
    await redirectWithNotice(req, res, `/admin/webhooks/${req.params.id}`, 'info', message('admin.webhooks.testQueued'));
  });

  router.post('/:id/delete', async (req, res) => {
    await webhooks.remove(actorOf(req), String(req.params.id));
    await redirectWithNotice(req, res, '/admin/webhooks', 'success', message('admin.webhooks.deleted'));
  });

  return router;
}
