import { Router, type RequestHandler } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import { Conflict, Invalid, NotFound } from '../../shared/errors.ts';
import { message, translate } from '../../i18n/i18n.ts';
import { responseLocale } from '../../web/locale.ts';
import { parseInput } from '../../web/validate.ts';
import type { ApiTokens } from './api-tokens.ts';
import type { ItemCatalog, ItemView } from './item-catalog.ts';
import type { BacklogItems } from './items.service.ts';
import { allowedMoves, ITEM_STATUSES, type ItemStatus } from './workflow.ts';

const isItemStatus = (value: unknown): value is ItemStatus => (ITEM_STATUSES as readonly unknown[]).includes(value);

const statusInput = z.object({
  // A custom check, so that its message can list the statuses in the caller's language's sentence.
  status: z.custom<ItemStatus>(isItemStatus, { message: 'backlogs.api.status', params: { statuses: ITEM_STATUSES.join(', ') } }),
  note: z.string('backlogs.api.noteType').trim().max(2000, 'backlogs.api.noteLength').default(''),
});

type Deps = { tokens: ApiTokens; items: BacklogItems; catalog: ItemCatalog; publicUrl: string; limiter: RequestHandler };

/**
 * The inbound status API (documented in docs/integration.md): a tracker holding one of the
 * backlog's tokens moves an item exactly as an owner does on the board — same workflow, notes,
 * audit, notifications and events. No session and no CSRF token: the bearer token is the proof.
 */
export function backlogApiRoutes({ tokens, items, catalog, publicUrl, limiter }: Deps): Router {
  const router = Router();

  const toJson = (item: ItemView) => {
    const last = item.statusHistory.at(-1);
    return {
      id: item.id,
      backlogId: item.backlogId,
      title: item.title,
      status: item.status,
      allowedMoves: allowedMoves(item.status),
      lastChange: last ? { from: last.from ?? null, to: last.to, note: last.note, at: last.at, via: last.via } : null,
      url: `${publicUrl}/backlog-items/${item.id}`,
      updatedAt: item.updatedAt,
    };
  };

  router.post('/api/v1/backlogs/:backlogId/items/:itemId/status', limiter, async (req, res) => {
    const backlogId = String(req.params.backlogId);
    const itemId = String(req.params.itemId);
    res.setHeader('Cache-Control', 'no-store');
    let tracker: { label: string };
    try {
      tracker = await tokens.authenticate(backlogId, req.headers.authorization);
    } catch (error) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="cocreate"');
      throw error;
    }
    if (!req.is('application/json')) throw new Invalid({ body: message('backlogs.api.jsonBody') });
    const input = parseInput(statusInput, req.body);
    const item = mongoose.isValidObjectId(itemId) ? await catalog.refresh(itemId) : undefined;
    if (!item || item.backlogId !== backlogId) throw new NotFound(message('backlogs.api.noItem'));
    try {
      const moved = await items.move({ actor: null, via: 'api', label: tracker.label }, itemId, input.status, input.note);
      res.json({ item: toJson(moved) });
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      const now = (await catalog.get(itemId)) ?? item;
      res
        .status(409)
        .json({ error: { code: 'conflict', message: translate(responseLocale(res), error.text), status: now.status, allowedMoves: allowedMoves(now.status), requestId: String(req.id ?? '') } });
    }
  });

  return router;
}
