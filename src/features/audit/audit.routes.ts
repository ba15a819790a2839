import { message } from '../../i18n/i18n.ts';
import { Router } from 'express';
import { z } from 'zod';
import { Forbidden } from '../../shared/errors.ts';
import { actorOf, requireSignIn } from '../../web/auth.ts';
import { parseInput } from '../../web/validate.ts';
import { canViewAuditLog } from '../accounts/accounts.policy.ts';
import { actionName, shownValue, targetName } from './audit-view.ts';
import { listAudit } from './audit.service.ts';

const auditQuery = z.object({
  after: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .catch(undefined),
  target: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .optional()
    .catch(undefined),
});

export function auditRoutes(): Router {
  const router = Router();
  router.get('/', requireSignIn, async (req, res) => {
    if (!canViewAuditLog(actorOf(req))) throw new Forbidden();
    const { after, target } = parseInput(auditQuery, req.query);
    const page = await listAudit({ after, targetId: target });
    const entries = page.entries.map((entry) => ({
      ...entry,
      targetName: targetName(entry.targetType),
      actionName: actionName(entry.action),
      before: shownValue(entry.before),
      after: shownValue(entry.after),
    }));
    res.render('admin/audit', { title: message('admin.audit.title'), target, ...page, entries });
  });
  return router;
}
