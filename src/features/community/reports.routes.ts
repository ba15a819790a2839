import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { redirectWithNotice } from '../../web/flash.ts';
import { parseInput } from '../../web/validate.ts';
import { REPORT_REASONS } from './report.model.ts';
import type { Reports } from './reports.service.ts';

const reportInput = z.object({
  targetType: z.enum(['idea', 'comment']),
  commentId: z.string().uuid().optional(),
  reason: z.enum(REPORT_REASONS, { message: 'community.report.chooseReason' }),
  note: z.string().trim().max(1_000, 'community.report.noteTooLong').default(''),
});

export function reportsRoutes({ reports }: { reports: Reports }): Router {
  const router = Router();
  router.post('/ideas/:id/reports', requireSignIn, async (req, res) => {
    const ideaId = String(req.params.id);
    const input = parseInput(reportInput, req.body);
    const { recorded } = await reports.report(actorOf(req), { ...input, ideaId });
    await redirectWithNotice(req, res, `/ideas/${ideaId}`, 'success', message(recorded ? 'community.report.thanks' : 'community.report.already'));
  });
  return router;
}
