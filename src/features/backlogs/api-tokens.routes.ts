import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { Invalid } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import type { ApiTokens } from './api-tokens.ts';
import { message, type Text } from '../../i18n/i18n.ts';

declare module 'express-session' {
  interface SessionData {
    /** A new API token, kept for the one page view that shows it. */
    revealedApiToken?: { backlogId: string; token: string };
  }
}

const tokenInput = z.object({ label: z.string().trim().min(1, 'backlogs.invalid.tokenLabel').max(80, 'backlogs.invalid.tokenLabelLength') });

/** The backlog's API tokens page: owners and admins create one per tracker and revoke it. */
export function apiTokensRoutes({ tokens }: { tokens: ApiTokens }): Router {
  const router = Router();
  const page = (backlogId: string) => `/backlogs/${backlogId}/tokens`;

  async function render(req: Request, res: Response, form: { values?: Record<string, unknown>; errors?: Record<string, Text> } = {}) {
    const backlogId = String(req.params.backlogId);
    const actor = actorOf(req);
    const backlog = await tokens.managed(actor, backlogId);
    const list = await tokens.list(actor, backlogId);
    const revealed = req.session.revealedApiToken;
    let token: string | undefined;
    if (revealed?.backlogId === backlogId) {
      token = revealed.token;
      delete req.session.revealedApiToken;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.render('backlogs/tokens', {
      title: message('backlogs.tokens.title', { name: backlog.name }),
      backlog,
      tokens: list.map((entry) => ({ ...entry, shortId: entry.id.slice(0, 12) })),
      token,
      endpoint: `/api/v1/backlogs/${backlogId}/items/`,
      values: form.values ?? {},
      errors: form.errors ?? {},
      errorSummary: form.errors ? message('errors.invalid') : undefined,
    });
  }

  router.get('/backlogs/:backlogId/tokens', requireSignIn, (req, res) => render(req, res));

  router.post('/backlogs/:backlogId/tokens', requireSignIn, async (req, res) => {
    const backlogId = String(req.params.backlogId);
    try {
      const { label } = parseInput(tokenInput, req.body);
      const { token } = await tokens.create(actorOf(req), backlogId, label);
      req.session.revealedApiToken = { backlogId, token };
      await redirectWithNotice(req, res, page(backlogId), 'success', message('backlogs.tokens.created', { label }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      res.status(400);
      await render(req, res, { values: req.body as Record<string, unknown>, errors: error.fieldTexts });
    }
  });

  router.post('/backlogs/:backlogId/tokens/revoke', requireSignIn, async (req, res) => {
    const backlogId = String(req.params.backlogId);
    const { label } = await tokens.revoke(actorOf(req), backlogId, String((req.body as { tokenId?: unknown }).tokenId ?? ''));
    await redirectWithNotice(req, res, page(backlogId), 'success', message('backlogs.tokens.revokedNotice', { label }));
  });

  return router;
}
